// Command etcd is upstream etcd's server entry point, built from the published
// go.etcd.io/etcd/server/v3 module (etcd's own cmd lives in a module that replaces its
// siblings with local folders, so it cannot be built as a dependency).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
