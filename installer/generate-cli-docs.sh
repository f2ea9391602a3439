#!/usr/bin/env bash
# Writes what is made from the `folio` command line's own help, so that neither can drift from it:
#   OUTDIR/commands.h2m  the man page's COMMANDS section (each subcommand's --help), included by help2man
#   OUTDIR/folio         the bash completion: subcommands, their options, the values of options with a fixed set
# Usage: generate-cli-docs.sh FOLIO OUTDIR. Reads CLI11's help layout: "Subcommands:" and "Options:" headings,
# entries indented by two spaces ("  -n,--tokens INT=64   Most tokens ..."), longer ones continued below.
set -euo pipefail
folio=$1
out=$2
mkdir -p "$out"

# The help text's entries under one heading: the entry's first column (name and type), one a line.
entries() {
  awk -v heading="$1" '
    /^[^ ].*:$/ { in_section = ($0 == heading ":"); next }
    in_section && /^  [^ ]/ { sub(/^  /, ""); sub(/  .*/, ""); print }'
}

commands=()     # "PATH|SUBCOMMANDS" for every command path, the top level as the empty path
options=()      # "PATH|OPTIONS"
values=()       # "PATH|OPTION|CHOICES" for options that take a value; CHOICES empty for free values
man_sections=()

walk() {
  local path=$1 help subs names spec name type choices opts=""
  # shellcheck disable=SC2086  # the path is words
  help=$("$folio" $path --help)
  subs=$(entries Subcommands <<<"$help" | awk '{ print $1 }' | tr '\n' ' ')
  commands+=("$path|${subs% }")
  while IFS= read -r spec; do
    names=${spec%% *}
    type=""
    [ "$names" != "$spec" ] && type=${spec#* }
    type=${type%% *}
    opts+=" ${names//,/ }"
    # A value follows when CLI11 prints its type (TEXT, INT, UINT, FLOAT, ...), not a note such as Needs:.
    if [[ $type =~ ^[A-Z]+([:=]|$) && $type != REQUIRED ]]; then
      choices=""
      if [[ $type =~ \{([^}]*)\} ]]; then choices=${BASH_REMATCH[1]//,/ }; fi
      for name in ${names//,/ }; do values+=("$path|$name|$choices"); done
    fi
  done < <(entries Options <<<"$help")
  options+=("$path|${opts# }")
  if [ -n "$path" ]; then
    man_sections+=("$path")
  fi
  local sub
  for sub in $subs; do walk "${path:+$path }$sub"; done
}
walk ""

{
  echo "[COMMANDS]"
  echo "Each command's own help (\\fBfolio\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR):"
  for path in "${man_sections[@]}"; do
    echo ".SS \"folio $path\""
    echo ".nf"
    # shellcheck disable=SC2086
    "$folio" $path --help | sed -e '/^Usage:/d' -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/" -e 's/-/\\-/g'
    echo ".fi"
  done
} >"$out/commands.h2m"

# One case label a line: PATH) WORDS;;
case_lines() {
  local record key rest
  for record in "$@"; do
    key=${record%%|*}
    rest=${record#*|}
    printf '        "%s") echo "%s" ;;\n' "$key" "$rest"
  done
}
value_lines() {
  local record path rest option choices
  for record in "${values[@]}"; do
    path=${record%%|*}; rest=${record#*|}; option=${rest%%|*}; choices=${rest#*|}
    printf '        "%s|%s") echo "value %s" ;;\n' "$path" "$option" "$choices"
  done
}

cat >"$out/folio" <<EOF
# bash completion for folio. Generated from \`folio --help\` by installer/generate-cli-docs.sh; do not edit.

# The subcommands, options and option values of a command path ("" for folio itself, "engine run", ...).
_folio_subcommands()
{
    case "\$1" in
$(case_lines "${commands[@]}")
    esac
}
_folio_options()
{
    case "\$1" in
$(case_lines "${options[@]}")
    esac
}
# "value CHOICES" when the option takes a value (CHOICES empty when any value goes), nothing for a flag.
_folio_option_value()
{
    case "\$1|\$2" in
$(value_lines)
    esac
}

_folio()
{
    local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
    local path="" word i subcommand value
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=\${COMP_WORDS[i]}
        if [[ -n \$(_folio_option_value "\$path" "\$word") ]]; then
            ((i++))
            continue
        fi
        for subcommand in \$(_folio_subcommands "\$path"); do
            if [[ \$word == "\$subcommand" ]]; then
                path=\${path:+\$path }\$word
                break
            fi
        done
    done
    value=\$(_folio_option_value "\$path" "\$prev")
    if [[ \$COMP_CWORD -gt 1 && -n \$value ]]; then
        # A fixed set of values, else the shell's own completion (files, folders).
        [[ \$value != "value " ]] && mapfile -t COMPREPLY < <(compgen -W "\${value#value }" -- "\$cur")
        return
    fi
    if [[ \$cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "\$(_folio_options "\$path")" -- "\$cur")
        return
    fi
    mapfile -t COMPREPLY < <(compgen -W "\$(_folio_subcommands "\$path")" -- "\$cur")
}
complete -o default -F _folio folio
EOF
