# SPDX-License-Identifier: MIT
# Helpers for the TUI tests: a private tmux server (its own socket, named
# after the test and its pid), shells in windows with the test's environment
# and a known prompt ("tui$ "), and waiting for text on a window's screen.
# Sourced after lib.sh; set tmux_sock first. The caller's EXIT trap runs
# `tm kill-server`.

tm() { tmux -L "$tmux_sock" "$@"; }
screen() { tm capture-pane -p -t "$1"; }	# screen WINDOW
# A shell in its own window, with the test's environment and a known prompt.
shell_in() {	# shell_in NAME [VAR=value...]
	local name=$1; shift
	if ! tm has-session 2>/dev/null; then
		tm -f /dev/null new-session -d -s main -x 120 -y 40 -n "$name" \
			env "HOME=$HOME" "XDG_CONFIG_HOME=$XDG_CONFIG_HOME" \
			"XDG_STATE_HOME=$XDG_STATE_HOME" "PATH=$PATH" TERM=xterm-256color \
			LANG=C.UTF-8 LC_ALL=C.UTF-8 PS1='tui$ ' "$@" sh
	else
		tm new-window -d -t main -n "$name" env "HOME=$HOME" \
			"XDG_CONFIG_HOME=$XDG_CONFIG_HOME" "XDG_STATE_HOME=$XDG_STATE_HOME" \
			"PATH=$PATH" TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
			PS1='tui$ ' "$@" sh
	fi
	tm set-option -g status off >/dev/null
	e2e_wait 5 sh -c "tmux -L '$tmux_sock' capture-pane -p -t 'main:$name' | grep -q 'tui\\$'"
}
on_screen() { screen "$1" | grep -qF -- "$2"; }	# on_screen WINDOW TEXT
wait_screen() { e2e_wait "$3" on_screen "$1" "$2"; }	# wait_screen WINDOW TEXT SECONDS
