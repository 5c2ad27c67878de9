// hwplan validate FILE...: check scenarios, profiles and model files.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

#include <sys/stat.h>

#include "cli/common.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/plan_report.hpp"
#include "sim/sweep/spec.hpp"

namespace hw::cli {

struct ValidateOptions {
  std::vector<std::string> files;
  CatalogueOptions catalogue;
  bool quiet = false;
};

int run_validate(const ValidateOptions& o) {
  int bad = 0;
  std::optional<Catalogue> cat;
  for (const auto& f : o.files) {
    try {
      // Read once: `validate <(cat f)` gives a pipe, which cannot be read twice; "-" is stdin.
      std::error_code ec;
      if (f != "-" && fs::is_directory(f, ec)) throw InputError(Location{f, 0, 0}, "", "", "is a directory; give YAML files");
      if (f != "-" && !fs::exists(f, ec)) {
        // A link that leads nowhere (or back to itself) says so; the location names the path.
        struct stat l {};
        std::string why = "no such file";
        if (::lstat(f.c_str(), &l) == 0 && S_ISLNK(l.st_mode)) {
          why = missing_input_message(f);
          const std::string named = printable(f, 300) + ": ";
          if (why.rfind(named, 0) == 0) why.erase(0, named.size());
        }
        throw InputError(Location{f, 0, 0}, "", "", why);
      }
      const std::string text = read_input_text(f);
      const std::string name = input_display_name(f);
      // Names, ids and the path as an error message quotes them (sim/io/plan_report.hpp,
      // shown_name): an escape sequence or a newline in a scenario's name is shown, not acted on.
      const std::string shown = shown_name(f);
      switch (detect_kind_text(text, name)) {
        case FileKind::profile: {
          auto p = load_profile_text(text, name);
          if (!o.quiet) fmt::print("ok  {} (hardware profile '{}')\n", shown, shown_name(p.id));
          break;
        }
        case FileKind::model: {
          auto ms = load_models_text(text, name);
          if (!o.quiet) fmt::print("ok  {} (model '{}'{})\n", shown, shown_name(ms.front().id), ms.size() > 1 ? fmt::format(" and {} more phases", ms.size() - 1) : "");
          break;
        }
        case FileKind::scenario: {
          if (!cat) cat = load_default_catalogue(o.catalogue);
          auto s = load_scenario_text(text, f == "-" ? std::string(".") : fs::path(f).parent_path().string(), *cat, name);
          auto count = [](std::size_t n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); };
          if (!o.quiet) {
            // Site kinds and the sites they stand for: "1 site" read as one store for `count: 200`.
            int represented = 0;
            for (const auto& site : s.sites) represented += site.count;
            const std::string sites = static_cast<std::size_t>(represented) == s.sites.size()
                                          ? count(s.sites.size(), "site", "sites")
                                          : fmt::format("{} ({} in all)", count(s.sites.size(), "site kind", "site kinds"),
                                                        count(static_cast<std::size_t>(represented), "site", "sites"));
            fmt::print("ok  {} (scenario '{}': {}, {}, {}, {})\n", shown, shown_name(s.name), sites, count(s.streams.size(), "stream", "streams"),
                       count(s.batch_jobs.size(), "batch job", "batch jobs"), count(s.candidates.size(), "candidate", "candidates"));
          }
          break;
        }
        case FileKind::sweep: {
          // A sweep finds its base scenario from its own folder: it is checked from its path.
          if (f == "-") {
            throw InputError(Location{name, 1, 1}, "", "",
                             "a sweep file (it names a 'scenario') is checked from its path, which its scenario's path is "
                             "relative to: hwplan validate SWEEP.yaml");
          }
          if (!cat) cat = load_default_catalogue(o.catalogue);
          const sweep::SweepSpec spec = sweep::load_sweep(f, *cat);
          if (!o.quiet) {
            const std::size_t n = sweep::expand(spec).size();
            fmt::print("ok  {} (sweep '{}' of {}: {} {}, {} {} to {})\n", shown, shown_name(spec.name), shown_name(spec.scenario), spec.axes.size(),
                       spec.axes.size() == 1 ? "axis" : "axes", n,
                       spec.mode == sweep::Mode::boundary ? (n == 1 ? "coarse variant" : "coarse variants") : (n == 1 ? "variant" : "variants"),
                       spec.action == sweep::Action::run ? "run" : "recommend");
          }
          break;
        }
        case FileKind::unknown:
          throw InputError(Location{name, 1, 1}, "", "",
                           "not a hwplan file: no key tells what it is (a profile has 'class', a model "
                           "'flops_per_item' or 'phases', a scenario 'sites', 'streams' or 'candidates', a sweep 'scenario')");
      }
    } catch (const InputError& e) {
      ++bad;
      fmt::print(stderr, "error: {}\n", e.what());
    }
  }
  if (bad) {
    fmt::print(stderr, "{} of {} files invalid\n", bad, o.files.size());
    return kBadInput;
  }
  return kOk;
}

void setup_validate(CLI::App& app, Dispatch& d) {
  auto o = std::make_shared<ValidateOptions>();
  auto* sub = app.add_subcommand("validate", "Check scenario, hardware profile, model and sweep files");
  sub->footer("Example:\n  hwplan validate scenarios/*.yaml hardware_profiles/*.yaml scenarios/sweeps/*.yaml\n"
              "Exit 0 when every file is valid, 2 otherwise (errors give file:line:column).");
  sub->add_option("files", o->files, "YAML files to check: scenarios, profiles, models, sweeps (each is checked; a missing one is an error, not the end); - reads standard input")->required();
  sub->add_flag("-q,--quiet", o->quiet, "Print only errors");
  add_catalogue_option(*sub, o->catalogue);
  sub->callback([o, &d] { d.action = [o] { return run_validate(*o); }; });
}

}  // namespace hw::cli
