package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) validateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "validate [DIR]",
		Short: "Check the contracts and invgen.yml in DIR, and nothing else",
		Long:  "Reports every problem as file:line:col: message, sorted, in one pass.\n\n",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			estate, err := loadContracts(dirArg(args))
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%d contracts valid\n", len(estate.Contracts))
			return nil
		},
	}
}
