// hwplan generate-docs --man|--bash|--zsh (hidden): the man page and the shell completions,
// written from the same CLI11 definitions the parser uses, so they cannot drift from it.
// The build runs it to produce what `cmake --install` installs.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "cli/common.hpp"

namespace hw::cli {
namespace {

std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
  std::vector<const CLI::App*> out;
  for (const auto* s : app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); })) out.push_back(s);
  return out;
}

// Text for roff: backslashes and hyphens escaped, and \& before a '.' or '\'' that starts any
// line (not only the first), which roff would otherwise read as a macro call and drop the line.
std::string roff(const std::string& s) {
  std::string out;
  bool line_start = true;
  for (char c : s) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
    line_start = c == '\n';
  }
  return out;
}

// The flags of app's options that take a value (the next word is that value, not a command).
std::vector<std::string> valued_flags_of(const CLI::App& app) {
  std::vector<std::string> out;
  for (const auto* o : app.get_options()) {
    if (o->get_items_expected_max() == 0) continue;  // a flag
    for (const auto& l : o->get_lnames()) out.push_back("--" + l);
    for (const auto& s : o->get_snames()) out.push_back("-" + s);
  }
  return out;
}

void man_options(std::string& m, const CLI::App& app) {
  for (const auto* o : app.get_options()) {
    if (o->get_lnames().empty() && o->get_snames().empty()) {
      m += fmt::format(".TP\n\\fI{}\\fR\n{}\n", roff(o->get_name()), roff(o->get_description()));
      continue;
    }
    std::string names;
    for (const auto& s : o->get_snames()) names += (names.empty() ? "" : ", ") + roff("-" + s);
    for (const auto& l : o->get_lnames()) names += (names.empty() ? "" : ", ") + roff("--" + l);
    const bool takes_value = o->get_items_expected_max() != 0 && !o->get_type_name().empty();
    m += fmt::format(".TP\n\\fB{}\\fR{}\n{}\n", names, takes_value ? " " + roff(o->get_type_name()) : "", roff(o->get_description()));
  }
}

void man_commands(std::string& m, const CLI::App& app, const std::string& prefix) {
  for (const auto* s : visible_subcommands(app)) {
    const std::string name = prefix.empty() ? s->get_name() : prefix + " " + s->get_name();
    m += fmt::format(".SS \"hwplan {}\"\n{}\n", roff(name), roff(s->get_description()));
    man_options(m, *s);
    // A subcommand without a footer of its own inherits its parent's (CLI11): not repeated here.
    if (!s->get_footer().empty() && s->get_footer() != app.get_footer())
      m += fmt::format(".PP\n.nf\n{}\n.fi\n", roff(s->get_footer()));
    man_commands(m, *s, name);
  }
}

std::string man_page(const CLI::App& app) {
  // hwplan --help's footer, in the same words: what it says about the catalogues goes in
  // DESCRIPTION, from "Exit status:" on in EXIT STATUS (filled: its line breaks suit a terminal).
  const std::string footer = app.get_footer();
  const auto exit_at = footer.find("Exit status:");
  const std::string about = footer.substr(0, exit_at);
  std::string what = app.get_description();  // "hwplan: choose ...": NAME says "hwplan \- choose ..."
  if (what.rfind("hwplan: ", 0) == 0) what.erase(0, 8);
  std::string m = ".TH HWPLAN 1 \"\" \"hwplan 0.1.0\" \"User Commands\"\n.SH NAME\nhwplan \\- " + roff(what) + "\n";
  m += ".SH SYNOPSIS\n\\fBhwplan\\fR [\\fB\\-\\-limit\\fR \\fINAME=VALUE\\fR]... \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGS\\fR]\n";
  m += ".SH DESCRIPTION\nhwplan simulates edge, GPU and hybrid deployments of a scenario (YAML) on SimGrid and recommends the cheapest that meets its latency targets.\n";
  if (!about.empty()) m += ".PP\n" + roff(about) + (about.back() == '\n' ? "" : "\n");
  if (exit_at != std::string::npos) m += ".SH EXIT STATUS\n" + roff(footer.substr(exit_at)) + "\n";
  m += ".SH OPTIONS\n";
  man_options(m, app);
  m += ".SH COMMANDS\n";
  man_commands(m, app, "");
  m += ".SH FILES\n.TP\n\\fI/usr/share/hwplan\\fR\nThe hardware catalogue (hardware_profiles/), the workload models (scenarios/models/) and bundled scenarios.\n";
  m += ".SH ENVIRONMENT\n.TP\n\\fBHWPLAN_DATA\\fR\nA folder with hardware_profiles/ and scenarios/models/ to use instead of the installed catalogue (--catalogue overrides it).\n";
  m += ".TP\n\\fBHWPLAN_USER_PROFILES\\fR\n" +
       roff("The user catalogue: a folder of hardware profiles every command reads next to the catalogue "
            "(default: $XDG_DATA_HOME/hwplan/hardware_profiles, else ~/.local/share/hwplan/hardware_profiles; --no-user-profiles "
            "leaves it out). hwplan-gui and 'hwplan calibrate --add' write there.") + "\n";
  m += ".SH SEE ALSO\ndocs/input-format.md (the input files), docs/model.md (what is simulated).\n";
  return m;
}

// One command of the tree, for the completions: its path ("" for hwplan itself, "profiles list"),
// its visible subcommands, its options, and the flags that take a value there (its own and
// its ancestors': CLI11 passes an option it does not know to its parent).
struct Node {
  std::string path;
  std::vector<std::pair<std::string, std::string>> subs;  // name, description
  std::vector<std::pair<std::string, std::string>> opts;  // flag, description
  std::vector<std::string> valued;
};

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  return s;
}

void add_once(std::vector<std::pair<std::string, std::string>>& v, const std::string& k, const std::string& d) {
  for (const auto& [name, desc] : v)
    if (name == k) return;
  v.emplace_back(k, d);
}

void collect(const CLI::App& app, const CLI::App& root, const std::string& path, std::vector<std::string> valued,
             std::vector<Node>& out) {
  Node n;
  n.path = path;
  for (const auto* s : visible_subcommands(app)) n.subs.emplace_back(s->get_name(), one_line(s->get_description()));
  // Its own options, then hwplan's (--limit and --version work after a command too).
  for (const CLI::App* a : {&app, &root}) {
    for (const auto* o : a->get_options()) {
      for (const auto& l : o->get_lnames()) add_once(n.opts, "--" + l, one_line(o->get_description()));
      for (const auto& s : o->get_snames()) add_once(n.opts, "-" + s, one_line(o->get_description()));
    }
  }
  for (const auto& f : valued_flags_of(app))
    if (std::find(valued.begin(), valued.end(), f) == valued.end()) valued.push_back(f);
  n.valued = valued;
  out.push_back(n);
  for (const auto* s : visible_subcommands(app)) collect(*s, root, path.empty() ? s->get_name() : path + " " + s->get_name(), valued, out);
}

std::vector<Node> command_tree(const CLI::App& app) {
  std::vector<Node> out;
  collect(app, app, "", {}, out);
  return out;
}

// A word in single quotes for bash or zsh: a quote inside is written '\''.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A name:description item of zsh's _describe: a colon in the name is escaped as \:.
std::string zsh_item(const std::string& name, const std::string& desc) {
  std::string n;
  for (char c : name) {
    if (c == ':' || c == '\\') n += '\\';
    n += c;
  }
  return quoted(n + ":" + desc);
}

std::string keys(const std::vector<std::pair<std::string, std::string>>& v) {
  std::string out;
  for (const auto& [k, d] : v) out += (out.empty() ? "" : " ") + k;
  return out;
}

std::string bash_completion(const CLI::App& app) {
  std::string cases;
  for (const auto& n : command_tree(app)) {
    cases += fmt::format("    {}) subs={} opts={} valued={} ;;\n", quoted(n.path), quoted(keys(n.subs)), quoted(keys(n.opts)),
                         quoted(fmt::format("{}", fmt::join(n.valued, " "))));
  }
  return fmt::format(R"(# bash completion for hwplan (generated by 'hwplan generate-docs --bash')
# The command is the first word that is not an option or an option's value (hwplan --limit
# sites=10 run ...), a subcommand the next such word that names one (hwplan profiles list ...).
_hwplan_spec() {{  # $1: the command path ('' for hwplan, 'profiles list'); sets subs, opts, valued
  subs='' opts='' valued=''
  case "$1" in
{}  esac
}}
_hwplan() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} cmd='' subs opts valued w i skip=0
  _hwplan_spec ''
  # The words before the cursor, with the '=' and ':' that bash splits off (COMP_WORDBREAKS)
  # joined back: --limit=sites=10 is one word.
  local -a ws=()
  local glue=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${{COMP_WORDS[i]}}
    if [[ ${{#ws[@]}} -gt 0 && ( "$w" == "=" || "$w" == ":" || $glue -eq 1 ) ]]; then
      ws[${{#ws[@]}}-1]+=$w
    else
      ws+=("$w")
    fi
    [[ "$w" == "=" || "$w" == ":" ]] && glue=1 || glue=0
  done
  for w in "${{ws[@]}}"; do
    if ((skip)); then skip=0; continue; fi
    case "$w" in
      --) break ;;
      -*=*) ;;
      -*) [[ " $valued " == *" $w "* ]] && skip=1 ;;
      *) if [[ " $subs " == *" $w "* ]]; then cmd=${{cmd:+$cmd }}$w; _hwplan_spec "$cmd"; fi ;;
    esac
  done
  local prev=${{COMP_WORDS[COMP_CWORD-1]}}
  if ((glue)) || [[ "$prev" == "=" || "$prev" == ":" ]]; then
    skip=1  # the cursor is after --opt= or inside a value with a ':'
  fi
  if ((skip)); then
    COMPREPLY=($(compgen -f -- "$cur"))
  elif [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -n "$subs" ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  else
    [[ -z "$cur" ]] && COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    COMPREPLY+=($(compgen -f -- "$cur"))
  fi
}}
complete -o filenames -F _hwplan hwplan
)",
                     cases);
}

std::string zsh_completion(const CLI::App& app) {
  std::string cases;
  for (const auto& n : command_tree(app)) {
    std::string subs, names, opts, valued;
    for (const auto& [k, d] : n.subs) {
      subs += " " + zsh_item(k, d);
      names += " " + quoted(k);
    }
    for (const auto& [k, d] : n.opts) opts += " " + zsh_item(k, d);
    for (const auto& v : n.valued) valued += " " + quoted(v);
    cases += fmt::format("    {})\n      subs=({} )\n      names=({} )\n      opts=({} )\n      valued=({} ) ;;\n", quoted(n.path),
                         subs, names, opts, valued);
  }
  return fmt::format(R"(#compdef hwplan
# zsh completion for hwplan (generated by 'hwplan generate-docs --zsh')
# The command is the first word that is not an option or an option's value (hwplan --limit
# sites=10 run ...), a subcommand the next such word that names one (hwplan profiles list ...).
_hwplan_spec() {{  # $1: the command path ('' for hwplan, 'profiles list'); sets subs, names, opts, valued
  subs=() names=() opts=() valued=()
  case $1 in
{}  esac
}}
_hwplan() {{
  local cmd='' w
  local -i i skip=0
  local -a subs names opts valued
  _hwplan_spec ''
  for ((i = 2; i < CURRENT; i++)); do
    w=${{words[i]}}
    if ((skip)); then skip=0; continue; fi
    case $w in
      --) break ;;
      -*=*) ;;
      -*) (( ${{valued[(Ie)$w]}} )) && skip=1 ;;
      *) if (( ${{names[(Ie)$w]}} )); then cmd=${{cmd:+$cmd }}$w; _hwplan_spec "$cmd"; fi ;;
    esac
  done
  if ((skip)); then
    _files
  elif [[ $PREFIX == -* ]]; then
    _describe -t options 'option' opts
  elif (( $#subs )); then
    _describe -t commands 'command' subs
  else
    _files
  fi
}}
_hwplan "$@"
)",
                     cases);
}

}  // namespace

void setup_shell_docs(CLI::App& app, Dispatch& d) {
  auto what = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("generate-docs", "Print the man page or a shell completion (used by the build)");
  sub->group("");  // hidden
  auto* g = sub->add_option_group("what");
  g->add_flag_callback("--man", [what] { *what = "man"; }, "The man page (roff)");
  g->add_flag_callback("--bash", [what] { *what = "bash"; }, "The bash completion script");
  g->add_flag_callback("--zsh", [what] { *what = "zsh"; }, "The zsh completion script");
  g->require_option(1);
  const CLI::App* root = &app;
  sub->callback([what, root, &d] {
    d.action = [what, root] {
      if (*what == "man") fmt::print("{}", man_page(*root));
      if (*what == "bash") fmt::print("{}", bash_completion(*root));
      if (*what == "zsh") fmt::print("{}", zsh_completion(*root));
      return kOk;
    };
  });
}

}  // namespace hw::cli
