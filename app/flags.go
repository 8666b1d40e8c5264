package app

import "flag"

// parseFlags parses a command's flags wherever they stand among its
// arguments: "kb search parking --kb DIR" reads as "kb search --kb DIR
// parking", where the flag package alone stops at "parking" and would take
// "--kb DIR" for words of the query, searching the wrong knowledge base
// without a word. After "--" everything is an argument ("kb search --
// -20% off"). fs.Args() then holds the arguments, in order.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		left := fs.Args()
		if len(left) == 0 {
			break
		}
		if at := len(args) - len(left); at > 0 && args[at-1] == "--" {
			rest = append(rest, left...) // stopped by "--": no flags after it
			break
		}
		rest, args = append(rest, left[0]), left[1:]
	}
	return fs.Parse(append([]string{"--"}, rest...))
}
