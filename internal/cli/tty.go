package cli

import "github.com/mattn/go-isatty"

func terminal(fd uintptr) bool { return isatty.IsTerminal(fd) || isatty.IsCygwinTerminal(fd) }
