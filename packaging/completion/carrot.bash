# bash completion for carrot (installed as /usr/share/bash-completion/completions/carrot).
# Commands, subcommands, options and option values come from carrot itself (System.CommandLine's [suggest]
# directive), so they always match the installed version; worker names and kallables come from
# 'carrot workers list --json' and 'carrot kallables list --json', with the same --config as the command line.

# Prints the "name" values of a carrot listing in --json.
_carrot_names()
{
    "$@" --json 2>/dev/null | grep -o '"name": *"[^"]*"' | sed 's/^"name": *"\(.*\)"$/\1/'
}

_carrot()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local carrot=${COMP_WORDS[0]}
    local -a config=() args=() positional=()
    local i word expects_value=
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        args+=("$word")
        if [[ -n $expects_value ]]; then
            expects_value=
            continue
        fi
        case $word in
            -c|--config) config=(--config "${COMP_WORDS[i+1]}"); expects_value=1 ;;
            --args|--kwargs|-w|--worker|-p|--priority|--wait-timeout|-n|--concurrency|-d|--description|--status|-k|--kallable|--limit|--key|--max-retries|--timeout|--delay|--at|--every|--older-than|--cron|--tz|--batch|--isolation) expects_value=1 ;;
            -*) ;;
            *) positional+=("$word") ;;
        esac
    done

    COMPREPLY=()
    case $prev in
        -c|--config)
            COMPREPLY=($(compgen -f -- "$cur"))
            return ;;
        -w|--worker)
            COMPREPLY=($(compgen -W "$(_carrot_names "$carrot" "${config[@]}" workers list)" -- "$cur"))
            return ;;
        -k|--kallable)
            COMPREPLY=($(compgen -W "$(_carrot_names "$carrot" "${config[@]}" kallables list)" -- "$cur"))
            return ;;
        --isolation)
            COMPREPLY=($(compgen -W "process inprocess" -- "$cur"))
            return ;;
        --args|--kwargs|-d|--description|-n|--concurrency|-p|--priority|--limit|--wait-timeout|--key|--max-retries|--timeout|--delay|--at|--every|--older-than)
            return ;;
    esac

    if [[ $cur != -* ]]; then
        case "${positional[*]}" in
            enqueue)
                COMPREPLY=($(compgen -W "$(_carrot_names "$carrot" "${config[@]}" kallables list)" -- "$cur"))
                return ;;
            "workers update"|"workers remove")
                COMPREPLY=($(compgen -W "$(_carrot_names "$carrot" "${config[@]}" workers list)" -- "$cur"))
                return ;;
        esac
    fi

    # What may follow the words so far; Windows-style and capitalised duplicates (/h, Failed) are left out.
    local line=${args[*]}
    [[ -n $line ]] && line+=" "
    local suggestions
    suggestions=$("$carrot" "[suggest:${#line}]" "$line" 2>/dev/null | grep -v -e '^/' -e '^-?$' -e '^[A-Z]')
    COMPREPLY=($(compgen -W "$suggestions" -- "$cur"))
}

complete -F _carrot carrot
