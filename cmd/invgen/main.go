// Command invgen reads inventory source contracts and emits a dbt project
// that finds phantom stock. See the README for the contract format and the
// commands.
package main

import (
	"os"

	"github.com/invgen/invgen/cli"
)

func main() { os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
