package cli

import (
	"github.com/spf13/cobra"

	"github.com/invgen/invgen/contracts"
)

func (a *app) schemaCommand() *cobra.Command {
	var project bool
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the contract format",
		Long: "Point yaml-language-server at it for completion and checking in editors:\n" +
			"  # yaml-language-server: $schema=contract.schema.json\n\n",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			schema := contracts.JSONSchema
			if project {
				schema = contracts.ProjectJSONSchema
			}
			out, err := schema()
			if err != nil {
				return err
			}
			_, err = a.stdout.Write(append(out, '\n'))
			return err
		},
	}
	cmd.Flags().BoolVar(&project, "project", false, "print the schema of invgen.yml instead")
	return cmd
}
