//go:build tools

// Package tools pins the Kubernetes control-plane commands we build (kube-apiserver,
// kube-controller-manager, kube-scheduler) as dependencies of this module, so `go mod tidy`
// records every module they need in go.sum and `go build` is reproducible offline from cache.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
