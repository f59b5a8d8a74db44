//go:build tools

// Package tools pins the Kubernetes commands we build (kube-apiserver,
// kube-controller-manager, kube-scheduler, and for the real node kubelet and kube-proxy) as dependencies of this module, so `go mod tidy`
// records every module they need in go.sum and `go build` is reproducible offline from cache.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
