# bash completion for virtsh.
#
# A thin layer: the candidates come from virtsh itself (its hidden
# `complete` command, the same completer as the interactive shell), run
# with the -c/-r options already on the line and under a time limit, so a
# dead host never hangs the shell.  Needs nothing but bash.
#
# Install: copy to /usr/share/bash-completion/completions/virtsh (or source
# it from ~/.bashrc).

# one per line: the words are split at newlines only
_virtsh_global_options="--connect
--debug
--escape
--help
--keepalive-interval
--keepalive-count
--log
--quiet
--readonly
--timing
--version"

_virtsh()
{
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words
    # Split the line ourselves: bash's own words break at '=' and ':',
    # which would cut --opt=value and every URI in pieces.
    read -r -a words <<< "$line"
    [[ $line =~ [[:space:]]$ || ${#words[@]} -eq 0 ]] && words+=("")
    local cword=$(( ${#words[@]} - 1 ))
    local cur=${words[cword]}

    local -a global=()
    local i=1 start=0 prev=""
    while (( i < cword )); do
        case ${words[i]} in
            -c|--connect) global+=(-c "${words[i+1]}"); (( i += 2 )); continue ;;
            --connect=*) global+=("${words[i]}") ;;
            -r|--readonly) global+=(-r) ;;
            -d|--debug|-e|--escape|-k|--keepalive-interval|-K|--keepalive-count|-l|--log)
                (( i += 2 )); continue ;;
            -*) ;;
            *) start=$i; break ;;
        esac
        (( i++ ))
    done
    (( cword > 0 )) && prev=${words[cword-1]}

    local IFS=$'\n'
    local -a found
    if (( start == 0 )) && [[ $prev == -c || $prev == --connect ]]; then
        # the URIs `connect` takes: the usual ones and the user's aliases
        found=( $(timeout 3 "${1:-virtsh}" complete -- connect "$cur" 2>/dev/null) )
        found=( "${found[@]/#-*/}" )
    elif (( start == 0 )) && [[ $cur == -* ]]; then
        found=( $(compgen -W "$_virtsh_global_options" -- "$cur") )
    else
        (( start == 0 )) && start=$cword
        found=( $(timeout 3 "${1:-virtsh}" "${global[@]}" complete -- \
                  "${words[@]:start:cword-start+1}" 2>/dev/null) )
    fi

    # Bash replaces only its own current word (the part after the last '='
    # or ':'): drop what precedes it from every candidate.
    local bashcur=${COMP_WORDS[COMP_CWORD]}
    [[ $bashcur == [=:] ]] && bashcur=""
    local lead=${cur%"$bashcur"}
    COMPREPLY=()
    local c
    for c in "${found[@]}"; do
        [[ -z $c ]] && continue
        c=${c#"$lead"}
        COMPREPLY+=("${c%/}")
    done
}

complete -o default -o filenames -F _virtsh virtsh
