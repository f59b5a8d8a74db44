//go:build tools

// Package tools pins sigs.k8s.io/kwok/cmd/kwok (simulated nodes and pods) as a dependency of
// this module so go.sum records everything it needs and the build is reproducible.
package tools

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
