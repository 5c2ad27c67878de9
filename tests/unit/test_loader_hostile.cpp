// Inputs a new user wrote by mistake (review of 2026-12-02), each refused at its line with the
// value and what is expected, or read as the documentation says: non-finite and hexadecimal
// numbers, an unclosed quote, a second YAML document, duplicate keys in every mapping, a
// named pipe or a directory where a file is expected, out-of-range limits, keys that do not
// apply. The base texts are tests/data/good/ files (line numbers below are theirs).
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/io/loaders.hpp"
#include "sim/io/trace.hpp"

namespace fs = std::filesystem;

namespace {

const hw::Catalogue& catalogue() {
  static const hw::Catalogue c = hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  return c;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string good(const std::string& name) { return slurp(std::string(HWPLAN_TEST_DATA) + "/good/" + name); }

// `text` with `from` (which must occur) replaced by `to`.
std::string edited(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The InputError message of a scenario text ("" when it loads); trace paths from `base_dir`.
std::string scenario_error(const std::string& text, const std::string& base_dir = HWPLAN_TEST_DATA "/good") {
  try {
    hw::load_scenario_text(text, base_dir, catalogue(), "s.yaml");
  } catch (const hw::InputError& e) {
    return e.what();
  }
  return "";
}

std::string profile_error(const std::string& text) {
  try {
    hw::load_profile_text(text, "test_device.yaml");
  } catch (const hw::InputError& e) {
    return e.what();
  }
  return "";
}

std::string models_error(const std::string& text) {
  try {
    hw::load_models_text(text, "m.yaml");
  } catch (const hw::InputError& e) {
    return e.what();
  }
  return "";
}

// The InputError message of detecting a file's kind ("" when it is recognised).
std::string kind_error(const std::string& text) {
  try {
    (void)hw::detect_kind_text(text, "odd.yaml");
  } catch (const hw::InputError& e) {
    return e.what();
  }
  return "";
}

// A scratch folder, removed at the end of the test.
struct Scratch {
  fs::path dir;
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "hwplan-hostile-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  [[nodiscard]] std::string write(const std::string& name, const std::string& text) const {
    fs::create_directories((dir / name).parent_path());
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
};

std::string trace_error(const std::string& path) {
  try {
    hw::load_trace(path);
  } catch (const hw::InputError& e) {
    return e.what();
  }
  return "";
}

struct DefaultLimits {
  ~DefaultLimits() { hw::input_limits() = hw::InputLimits{}; }
};

// The diurnal arrival in place of the baseline's periodic one (lines 15-17), `hourly` on line 17.
std::string diurnal(const std::string& rate, const std::string& first_hour) {
  std::string hours = first_hour;
  for (int i = 1; i < 24; ++i) hours += ", 1";
  return edited(good("scenario.yaml"), "      process: periodic\n      rate: 15 /s\n      jitter: 2 ms",
                "      process: diurnal\n      rate: " + rate + "\n      hourly: [" + hours + "]");
}

}  // namespace

TEST_CASE("hostile: the baselines load") {
  CHECK(scenario_error(good("scenario.yaml")).empty());
  CHECK(profile_error(good("test_device.yaml")).empty());
  CHECK(models_error(good("test_model.yaml")).empty());
}

// `hourly: [inf, ...]` validated, then the simulation never ended (review 1).
TEST_CASE("hostile: an hourly multiplier must be a plain finite number from 0 to 1e6") {
  CHECK(scenario_error(diurnal("15 /s", "2")).empty());
  // "      hourly: [" is 15 characters: the first entry is at column 16 of line 17.
  for (const std::string bad : {"inf", "nan", ".inf", "1e300", "0x10", "50 %", "1.5x", "-1", "1000001"}) {
    const std::string msg = scenario_error(diurnal("15 /s", bad));
    INFO(bad << ": " << msg);
    CHECK(has(msg, "s.yaml:17:16: key 'streams[0].arrival.hourly[0]', value '" + bad + "'"));
    CHECK(has(msg, "expected a multiplier: a plain number from 0 to 1e6"));
  }
  // The busiest hour is bounded like any rate (1e9 /s): 1000 /s x 1e6 = 1e9 /s is the most.
  CHECK(scenario_error(diurnal("1000 /s", "1e6")).empty());
  const std::string over = scenario_error(diurnal("2000 /s", "1e6"));
  CHECK(has(over, "s.yaml:17:16: key 'streams[0].arrival.hourly[0]', value '1e6': rate x this multiplier = 2e+09 /s"));
  CHECK(has(over, "at most 1e9 /s"));
}

TEST_CASE("hostile: an unclosed quote is a YAML syntax error at the quote") {
  // `name: "` puts the quote at column 7 of line 2; yaml-cpp alone took every later line
  // into the name and then said that 'sites' was missing.
  const std::string dq = scenario_error(edited(good("scenario.yaml"), "name: Bad input", "name: \"Bad input"));
  CHECK(has(dq, "s.yaml:2:7: YAML syntax error: the value opened with a double quote"));
  CHECK(has(dq, "never closed"));
  const std::string sq = scenario_error(edited(good("scenario.yaml"), "name: Bad input", "name: 'Bad input"));
  CHECK(has(sq, "s.yaml:2:7: YAML syntax error: the value opened with a single quote"));
  // Closed quotes, escaped quotes inside them and a quoted value over two lines still load;
  // so do quotes after a byte-order mark (yaml-cpp's positions leave its 3 bytes out).
  CHECK(scenario_error(edited(good("scenario.yaml"), "name: Bad input", "name: \"Bad \\\"input\\\" \"")).empty());
  CHECK(scenario_error(edited(good("scenario.yaml"), "name: Bad input", "name: 'it''s'")).empty());
  CHECK(scenario_error(edited(good("scenario.yaml"), "name: Bad input", "name: \"Bad\n  input\"")).empty());
  // With the marks taken as offsets into the text with its byte-order mark, "gige"'s quote would be the
  // one closing 'usb' (3 bytes earlier), with no ' after it: a false "never closed".
  CHECK(profile_error("\xef\xbb\xbf" + edited(good("test_device.yaml"), "price: 500 USD", "price: 500 USD\ninterfaces: ['usb', \"gige\"]")).empty());
}

TEST_CASE("hostile: a second YAML document is refused at its '---'") {
  // The baseline has 32 lines: the '---' is line 33.
  const std::string msg = scenario_error(good("scenario.yaml") + "---\nname: second\n");
  CHECK(has(msg, "s.yaml:33:1: a second YAML document starts here (after '---')"));
  CHECK(has(scenario_error(good("scenario.yaml") + "---\n"), "s.yaml:33:1: a second YAML document"));
  // A '---' before the one document, and a '...' after it, are fine.
  CHECK(scenario_error("---\n" + good("scenario.yaml")).empty());
  CHECK(scenario_error(good("scenario.yaml") + "...\n").empty());
}

TEST_CASE("hostile: duplicate keys are refused in sources, calibration and phases too, with both values") {
  // A second 'memory' source on line 17 (the first is line 16).
  const std::string src = profile_error(edited(good("test_device.yaml"), "  power: \"test figure\"", "  memory: \"other\"\n  power: \"test figure\""));
  CHECK(has(src, "test_device.yaml:17:3: key 'sources.memory', value 'other': key 'memory' is given twice in this mapping (first at line 16, value 'test figure'); keep one"));
  const std::string cal = profile_error(good("test_device.yaml") + "calibration:\n  date: \"2026-01-01\"\n  date: \"2026-02-02\"\n");
  CHECK(has(cal, "test_device.yaml:21:3: key 'calibration.date', value '2026-02-02': key 'date' is given twice"));
  // Two phases named prefill would be two models 'test-llm:prefill' (every command then
  // failed on the catalogue with "duplicate model id; also in" the same file).
  const std::string model =
      "id: test-llm\nname: Test LLM\nweights: 13 GB\nphases:\n"
      "  prefill: {flops_per_item: 14 GFLOP}\n  prefill: {flops_per_item: 1 GFLOP}\n  decode: {flops_per_item: 14.6 GFLOP}\n"
      "sources: {flops: \"test figure\"}\n";
  const std::string ph = models_error(model);
  CHECK(has(ph, "m.yaml:6:3: key 'phases.prefill', value '<a mapping>': key 'prefill' is given twice in this mapping (first at line 5"));
  CHECK(models_error(edited(model, "  prefill: {flops_per_item: 1 GFLOP}\n", "")).empty());
  // The top level names the value too.
  const std::string top = scenario_error(edited(good("scenario.yaml"), "warmup: 5 s", "warmup: 5 s\nduration: 30 s"));
  CHECK(has(top, "s.yaml:5:1: key 'duration', value '30 s': key 'duration' is given twice in this mapping (first at line 3, value '40 s')"));
}

TEST_CASE("hostile: hexadecimal is refused in temperatures and traces. a leading space is no header") {
  const std::string site = "  - id: plant\n";
  auto with_min = [&](const std::string& t) {
    return edited(good("scenario.yaml"), site, site + "    conditions: {temperature: {min: " + t + "}}\n");
  };
  CHECK(scenario_error(with_min("-20 C")).empty());
  CHECK(scenario_error(with_min("1e1 C")).empty());
  for (const std::string bad : {"0x10 C", "inf C", "nan C", "0x1p3 C"}) {
    const std::string msg = scenario_error(with_min(bad));
    INFO(msg);
    CHECK(has(msg, "key 'sites[0].conditions.temperature.min', value '" + bad + "': expected a temperature in degrees Celsius"));
  }
  Scratch s;
  const std::string hex = trace_error(s.write("hex.csv", "0x10\n20\n"));
  CHECK(has(hex, "hex.csv:1:1: key 'time_s', value '0x10': expected a non-negative number of seconds"));
  CHECK(has(trace_error(s.write("hexsize.csv", "1,0x10\n")), "key 'size_bytes', value '0x10'"));
  // " 0.5" was taken for a header and dropped; now it is the first request.
  const hw::Trace t = hw::load_trace(s.write("space.csv", " 0.5\n 1.0 , 200\n  \n2\n"));
  REQUIRE(t.times_s.size() == 3);
  CHECK(t.times_s[0] == 0.5);
  CHECK(t.times_s[1] == 1.0);
  CHECK(t.times_s[2] == 2.0);
  REQUIRE(t.sizes_bytes.size() == 3);
  CHECK(t.sizes_bytes[1] == 200.0);
  // A real header with spaces before it is still a header.
  CHECK(hw::load_trace(s.write("hdr.csv", "  time_s\n3\n")).times_s == std::vector<double>{3.0});
}

TEST_CASE("hostile: a named pipe, a device or a directory is refused by name. an anonymous pipe is read") {
  Scratch s;
  const std::string fifo = (s.dir / "f.yaml").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Opening it for reading used to wait for a writer for ever.
  std::string msg;
  try {
    hw::load_scenario(fifo, catalogue());
  } catch (const hw::InputError& e) {
    msg = e.what();
  }
  CHECK(has(msg, "f.yaml: is a named pipe (FIFO), not a regular file"));
  try {
    (void)hw::read_input_text("/dev/null");
    FAIL("/dev/null was read");
  } catch (const hw::InputError& e) {
    CHECK(has(e.what(), "is a character device, not a regular file"));
  }
  // `hwplan validate <(cat f)`: /dev/fd/N of a pipe whose writer has finished.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const std::string text = good("scenario.yaml");
  REQUIRE(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  CHECK(hw::read_input_text("/dev/fd/" + std::to_string(fds[0])) == text);
  ::close(fds[0]);
  // Trace files: a directory and a FIFO say what they are.
  const std::string dir_msg = scenario_error(edited(good("scenario.yaml"), "      process: periodic\n      rate: 15 /s\n      jitter: 2 ms",
                                                    "      process: trace\n      file: ."),
                                             s.dir.string());
  CHECK(has(dir_msg, "key 'streams[0].arrival.file', value '.': "));
  CHECK(has(dir_msg, "is a directory; expected a trace CSV file"));
  const std::string fifo_msg = scenario_error(edited(good("scenario.yaml"), "      process: periodic\n      rate: 15 /s\n      jitter: 2 ms",
                                                     "      process: trace\n      file: f.yaml"),
                                              s.dir.string());
  CHECK(has(fifo_msg, "is not a regular file (a pipe or a device)"));
  CHECK(has(trace_error(s.dir.string()), "is a directory; expected a trace CSV file"));
  CHECK(has(trace_error(fifo), "is not a regular file"));
}

TEST_CASE("hostile: --limit file-size past 1 TB is refused instead of wrapping to 0") {
  DefaultLimits restore;
  for (const std::string bad : {"file-size=1e20B", "file-size=1e24B", "file-size=10000000000000", "file-size=2 TB"}) {
    INFO(bad);
    CHECK_THROWS_WITH_AS(hw::set_input_limit(bad), doctest::Contains("expected at most 1 TB"), std::invalid_argument);
  }
  CHECK(hw::input_limits().file_bytes == hw::InputLimits{}.file_bytes);  // unchanged by the refusals
  hw::set_input_limit("file-size=1 TB");
  CHECK(hw::input_limits().file_bytes == 1'000'000'000'000ULL);
  hw::set_input_limit("file-size=16 MB");
  CHECK(hw::input_limits().file_bytes == 16'000'000ULL);
}

TEST_CASE("hostile: keys that do not apply or a default that does not fit are named") {
  // An accelerator on a gpu candidate (line 33, column 18) was accepted, even a bogus id.
  const std::string gpu = edited(good("scenario.yaml"), "  - family: edge\n    hardware: jetson-orin-nano-super",
                                 "  - family: gpu\n    hardware: nvidia-l4\n    accelerator: no-such-thing");
  CHECK(has(scenario_error(gpu), "s.yaml:33:18: key 'candidates[0].accelerator', value 'no-such-thing': a gpu candidate has no edge units"));
  CHECK(scenario_error(edited(gpu, "    accelerator: no-such-thing", "")).empty());
  CHECK(scenario_error(edited(good("scenario.yaml"), "hardware: jetson-orin-nano-super", "hardware: jetson-orin-nano-super\n    accelerator: hailo-8")).empty());
  // No 'warmup' line and a duration within its default of 5 s: the error points at duration
  // (line 3, column 11), where it had no line at all.
  const std::string warm = scenario_error(edited(good("scenario.yaml"), "duration: 40 s\nwarmup: 5 s", "duration: 3 s"));
  CHECK(has(warm, "s.yaml:3:11: key 'duration', value '3 s': the duration must be longer than the warm-up, 5 s by default"));
  // price_year: 0 is the documented "unknown"; other years outside 1990-2100 are refused.
  const std::string base = good("test_device.yaml");
  for (const std::string year : {"0", "1990", "2024", "2100"}) {
    INFO(year);
    CHECK(profile_error(edited(base, "price: 500 USD", "price: 500 USD\nprice_year: " + year)).empty());
  }
  CHECK(hw::load_profile_text(edited(base, "price: 500 USD", "price: 500 USD\nprice_year: 0"), "test_device.yaml").price_year == 0);
  for (const std::string year : {"1", "1989", "2101", "-1"}) {
    INFO(year);
    CHECK(has(profile_error(edited(base, "price: 500 USD", "price: 500 USD\nprice_year: " + year)), "key 'price_year', value '" + year + "'"));
  }
}

TEST_CASE("hostile: a sweep file is recognised as one") {
  CHECK(hw::detect_kind_text("name: x\nscenario: ../s.yaml\naxes: {duration: [10 s, 20 s]}\n", "w.yaml") == hw::FileKind::sweep);
  for (const auto& e : fs::directory_iterator(HWPLAN_SOURCE_DIR "/scenarios/sweeps")) {
    if (e.path().extension() != ".yaml") continue;
    INFO(e.path());
    CHECK(hw::detect_kind(e.path().string()) == hw::FileKind::sweep);
  }
  CHECK(hw::detect_kind_text("name: x\nfoo: 1\n", "w.yaml") == hw::FileKind::unknown);
}

TEST_CASE("review 14: a top-level list or value is named as such. a control byte in a YAML error is escaped") {
  auto kind_error = [](const std::string& text) {
    try {
      (void)hw::detect_kind_text(text, "odd.yaml");
    } catch (const hw::InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  // Was "not a hwplan file: no key tells what it is" (validate) for a list.
  const std::string list = kind_error("- a\n- b\n");
  CHECK(list.find("odd.yaml:1:1") != std::string::npos);
  CHECK(list.find("expected a mapping of keys at the top of the file") != std::string::npos);
  CHECK(list.find("got a list") != std::string::npos);
  CHECK(kind_error("hello\n").find("got a single value") != std::string::npos);
  CHECK(kind_error("name: x\nsites: []\n").empty());
  // A binary file: yaml-cpp quotes the byte it stopped at; it reached the terminal raw.
  const std::string bin = kind_error(std::string("\"a\\\x01" "b\"\n"));
  CHECK(bin.find("YAML syntax error: unknown escape character: \\x01") != std::string::npos);
  CHECK(bin.find('\x01') == std::string::npos);
}

// The input review of 2026-12-02 (branch loaderfix): each bad input is refused at its own
// line and column, with the value and what is expected.

TEST_CASE("loader messages: a bandwidth or FLOP count that overflows with its unit says the bound") {
  // Was "the value is not finite", with no bound and no expected form.
  const std::string bw = profile_error(edited(good("test_device.yaml"), "bandwidth: 100 GB/s", "bandwidth: 1e300 TB/s"));
  CHECK(has(bw, "test_device.yaml:9:14: key 'memory.bandwidth', value '1e300 TB/s'"));
  CHECK(has(bw, "the value is too large: at most 1e15 B/s (1 PB/s) is accepted"));
  const std::string flops = models_error(edited(good("test_model.yaml"), "flops_per_item: 8.7 GFLOP", "flops_per_item: 1e300 GFLOP"));
  CHECK(has(flops, "m.yaml:4:17: key 'flops_per_item', value '1e300 GFLOP': the value is too large: at most 1e30 FLOP"));
}

TEST_CASE("loader messages: a model whose default precision is not in 'precisions' is pointed at the list") {
  const std::string no_line = models_error(edited(good("test_model.yaml"), "precision: fp16\nprecisions: [fp32, fp16, int8]",
                                                  "precisions: [int8]"));
  // Was "m.yaml: key 'precision': the model's precision must be one of its 'precisions'", no line.
  CHECK(has(no_line, "m.yaml:7:13: key 'precisions', value '[int8]'"));
  CHECK(has(no_line, "its precision is the default, fp16"));
  CHECK(has(no_line, "add a line 'precision: int8'"));
  const std::string with_line = models_error(edited(good("test_model.yaml"), "precisions: [fp32, fp16, int8]", "precisions: [int8]"));
  CHECK(has(with_line, "m.yaml:7:12: key 'precision', value 'fp16'"));
  CHECK(has(with_line, "must be one of its 'precisions' (int8)"));
}

TEST_CASE("loader messages: a precision listed twice is refused at the repeat") {
  const std::string dup = models_error(edited(good("test_model.yaml"), "precisions: [fp32, fp16, int8]", "precisions: [fp32, fp16, fp16]"));
  CHECK(has(dup, "m.yaml:8:26: key 'precisions[2]', value 'fp16': 'fp16' is listed twice in 'precisions'; keep one"));
}

TEST_CASE("loader messages: an empty or blank source is refused at its line") {
  for (const std::string blank : {"\"\"", "\" \"", "''"}) {
    const std::string e = profile_error(edited(good("test_device.yaml"), "  price: \"test figure\"", "  price: " + blank));
    CHECK_MESSAGE(has(e, "test_device.yaml:18:10: key 'sources.price'"), e);
    CHECK(has(e, "the source is empty; write where the figure comes from"));
  }
  const std::string model = models_error(edited(good("test_model.yaml"), "flops: \"test figure\"", "flops: \"  \""));
  CHECK(has(model, "m.yaml:11:10: key 'sources.flops'"));
  CHECK(has(model, "the source is empty"));
}

TEST_CASE("loader messages: a duplicate profile id across files is named at its 'id' line, with the other file") {
  Scratch s;
  const std::string device = good("test_device.yaml");  // a comment on line 1, 'id:' on line 2
  const std::string first = s.write("hp/test_device.yaml", device);
  (void)s.write("hp/test_device.yml", device);
  fs::create_directories(s.dir / "models");
  try {
    (void)hw::load_catalogue((s.dir / "hp").string(), (s.dir / "models").string());
    FAIL("a duplicate profile id was accepted");
  } catch (const hw::InputError& e) {
    const std::string m = e.what();
    CHECK_MESSAGE(has(m, "test_device.yml:2:1: key 'id', value 'test_device': duplicate profile id"), m);
    CHECK(has(m, first + " (line 2) has the same id"));
  }
}

TEST_CASE("loader messages: text that is not UTF-8 is refused at the byte, never passed through raw") {
  // Latin-1 'é' in a value, 'ü' in a key, 'µ' in a unit: each was read (the first validated ok).
  const std::string value = kind_error("name: Caf\xe9\nsites: []\n");
  CHECK(has(value, "odd.yaml:1:10: the text is not valid UTF-8 (byte 0xE9)"));
  CHECK_FALSE(has(value, "\xe9"));
  CHECK(has(kind_error("name: x\nsites: []\nj\xfcter: 1\n"), "odd.yaml:3:2: the text is not valid UTF-8 (byte 0xFC)"));
  CHECK(has(kind_error("name: x\nsites: []\nlatency: 40 \xb5s\n"), "odd.yaml:3:13: the text is not valid UTF-8 (byte 0xB5)"));
  // UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read.
  CHECK(kind_error("name: Caf\xc3\xa9 40 \xc2\xb5s\nsites: []\n").empty());
  CHECK(kind_error("\xef\xbb\xbfname: x\nsites: []\n").empty());
  std::string utf16 = "\xff\xfe";
  for (const char c : std::string("name: x\nsites: []\n")) utf16 += std::string{c, '\0'};
  CHECK(kind_error(utf16).empty());
}

TEST_CASE("loader messages: a NUL byte or CR-only line endings are named as such") {
  // Was "unknown escape character: \x0a" at the line after the NUL.
  const std::string nul = kind_error(std::string("name: x\nsites: []\nab\0cd\n", 24));
  CHECK(has(nul, "odd.yaml:3:3: not a text file: NUL byte (0x00) here"));
  CHECK(has(kind_error(std::string("\x7f" "ELF\x02\x01\x01\x03\0\0\0", 11)), "odd.yaml:1:9: not a text file: NUL byte"));
  // Was "the file is empty; expected a YAML mapping".
  const std::string cr = kind_error("# a comment\rname: x\rsites: []\r");
  CHECK(has(cr, "odd.yaml:1:12: the file's lines end with a carriage return (CR, \\r) alone"));
  CHECK(has(kind_error("name: x\nsites: []\rstreams: []\n"), "odd.yaml:2:10: a carriage return (CR, \\r) ends a line by itself"));
  CHECK(kind_error("name: x\r\nsites: []\r\n").empty());  // CR LF is fine
}

TEST_CASE("loader messages: a list nested too deeply is placed at a column of its line") {
  const std::string deep_list = "name: x\nsites: " + std::string(100000, '[') + "\n";
  const std::string list = kind_error(deep_list);
  // Was 2:200008-like, past the end of the line; the bracket at flow depth 499.
  CHECK_MESSAGE(has(list, "odd.yaml:2:506: the YAML nests lists and mappings too deeply"), list);
  std::string deep_map = "name: x\nsites: ";
  for (int i = 0; i < 1000; ++i) deep_map += "{a: ";
  const std::string map = kind_error(deep_map + "\n");
  CHECK_MESSAGE(has(map, "odd.yaml:2:2000: the YAML nests lists and mappings too deeply"), map);
}

TEST_CASE("loader messages: a YAML merge key is refused as such, not as an unknown key '<<'") {
  const std::string merge = models_error(edited(good("test_model.yaml"), "name: Test model\n", "name: Test model\n<<: {task: detection}\n"));
  // Was "unknown key '<<' (known keys here: ...)".
  CHECK(has(merge, "m.yaml:4:1: key '<<': YAML merge keys ('<<: *name') are not supported; write the keys out"));
}

// A merge key that brings required keys (its usual purpose) was reported as the keys it
// brought being missing: "a custom link needs both 'latency' and 'bandwidth'", "required key
// 'latency' is missing".
TEST_CASE("loader messages: a merge key that supplies required keys is named as the merge key") {
  const std::string base = good("scenario.yaml");
  std::string e = scenario_error(edited(base, "      type: wan\n      latency: 15 ms\n      bandwidth: 200 Mbps\n",
                                        "      <<: {type: wan, latency: 15 ms, bandwidth: 200 Mbps}\n"));
  CHECK_MESSAGE(has(e, "s.yaml:8:7: key 'sites[0].backhaul.<<': YAML merge keys ('<<: *name') are not supported"), e);
  e = scenario_error(edited(base, "      latency: 40 ms\n      max_violation: 1 %\n", "      <<: {latency: 40 ms, max_violation: 1 %}\n"));
  CHECK_MESSAGE(has(e, "key 'streams[0].slo.<<': YAML merge keys"), e);
  CHECK_FALSE(has(e, "required key"));
}

// `{family: gpu, gpu: nvidia-l4}` said only "required key 'hardware' is missing"; a key of
// another family's form was accepted and ignored.
TEST_CASE("loader messages: a candidate key of another family's form is named, with the form this family takes") {
  const std::string base = good("scenario.yaml");
  std::string e = scenario_error(edited(base, "  - family: edge\n    hardware: jetson-orin-nano-super\n",
                                        "  - family: gpu\n    gpu: nvidia-l4\n"));
  CHECK_MESSAGE(has(e, "key 'candidates[0].gpu', value 'nvidia-l4': 'gpu' is for hybrid candidates (family: hybrid, with 'edge:' and "
                       "'gpu:'); a gpu candidate names its hardware with 'hardware:'"), e);
  e = scenario_error(edited(base, "    hardware: jetson-orin-nano-super\n", "    hardware: jetson-orin-nano-super\n    edge_stages: 1\n"));
  CHECK_MESSAGE(has(e, "key 'candidates[0].edge_stages', value '1': 'edge_stages' is for hybrid candidates"), e);
  e = scenario_error(edited(base, "  - family: edge\n    hardware: jetson-orin-nano-super\n",
                            "  - family: hybrid\n    hardware: nvidia-l4\n    edge: jetson-orin-nano-super\n    gpu: nvidia-l4\n"));
  CHECK_MESSAGE(has(e, "key 'candidates[0].hardware', value 'nvidia-l4': a hybrid candidate names its two parts with 'edge:'"), e);
}

// A review's mistakes whose messages did not say the fix.
TEST_CASE("loader messages: 'percentile: 99%', 'access: wired' and 'currency: usd' say what to write") {
  const std::string base = good("scenario.yaml");
  std::string e = scenario_error(edited(base, "      latency: 40 ms\n", "      percentile: 99%\n      latency: 40 ms\n"));
  CHECK_MESSAGE(has(e, "key 'streams[0].slo.percentile', value '99%': expected a number between 1 and 99.999, without a '%': write 99"), e);
  e = scenario_error(edited(base, "    backhaul:\n      type: wan\n      latency: 15 ms\n      bandwidth: 200 Mbps\n", "    backhaul: wan\n"));
  CHECK_MESSAGE(has(e, "key 'sites[0].backhaul', value 'wan': a link is a mapping: write 'backhaul: {type: wan}'"), e);
  e = scenario_error(edited(base, "    backhaul:\n      type: wan\n      latency: 15 ms\n      bandwidth: 200 Mbps\n", "    backhaul: fibre\n"));
  CHECK_MESSAGE(has(e, "a link is a mapping, like 'backhaul: {type: wan}' (types: "), e);
  e = scenario_error(edited(base, "    backhaul:\n      type: wan\n      latency: 15 ms\n      bandwidth: 200 Mbps\n", "    backhaul: custom\n"));
  CHECK_MESSAGE(has(e, "a custom one needs both: write 'backhaul: {latency: 20 ms, bandwidth: 100 Mbps}'"), e);
  e = scenario_error(edited(base, "costs:\n", "batch_jobs:\n  - {id: t, kind: training, total_flops: 1e15 FLOP, scaling_efficiency: 90%}\ncosts:\n"));
  CHECK_MESSAGE(has(e, "(a fraction, without a '%'): write 0.9"), e);
  e = scenario_error(edited(base, "      latency: 40 ms\n", "      latency: ~\n"));
  CHECK_MESSAGE(has(e, "required key 'latency' is empty; give it a value"), e);
  e = scenario_error(edited(base, "  currency: USD\n", "  currency: usd\n"));
  CHECK_MESSAGE(has(e, "key 'costs.currency', value 'usd': currency codes are upper case: write 'USD'"), e);
  e = scenario_error(edited(base, "  currency: USD\n", "  currency: dollars\n"));
  CHECK_MESSAGE(has(e, "expected a three-letter ISO 4217 currency code"), e);
}

// `slo: {p99: 500 ms}` said "required key 'latency' is missing" and never named 'p99'.
TEST_CASE("loader messages: a missing required key names the keys the mapping has") {
  const std::string base = good("scenario.yaml");
  std::string e = scenario_error(edited(base, "      latency: 40 ms\n      max_violation: 1 %\n", "      p99: 40 ms\n"));
  CHECK_MESSAGE(has(e, "key 'streams[0].slo.latency': required key 'latency' is missing (keys given here: p99)"), e);
  e = scenario_error(edited(base, "    slo:\n      latency: 40 ms\n      max_violation: 1 %\n", "    slo: {}\n"));
  CHECK_MESSAGE(has(e, "required key 'latency' is missing (the mapping is empty)"), e);
}

// `? [a, b]`, `{a: 1}: 1` and `~: 1` were each "unknown key ''", with no key path and nothing
// saying a key must be a word.
TEST_CASE("hostile: a key that is a list, a mapping or null is named as such at its line") {
  const std::string base = good("scenario.yaml");
  std::string e = scenario_error(edited(base, "name: ", "? [a, b]\n: 1\nname: "));
  CHECK(has(e, "a key here is a list; keys are words"));
  e = scenario_error(edited(base, "name: ", "{a: 1}: 1\nname: "));
  CHECK(has(e, "a key here is a mapping; keys are words"));
  e = scenario_error(edited(base, "name: ", "~: 1\nname: "));
  CHECK(has(e, "a key here is empty (null); keys are words"));
  CHECK(has(e, "s.yaml:"));
}

// `title:` for `name:` was "required key 'name' is missing" at 1:1; a sweep and a scenario
// check their top level's keys before reading any value.
TEST_CASE("hostile: a wrong word for a required top-level key is named as the unknown key") {
  const std::string base = good("scenario.yaml");
  const std::string e = scenario_error(edited(base, "name: ", "title: "));
  CHECK(has(e, "unknown key 'title' (known keys here: batch_jobs, candidates"));
  CHECK_FALSE(has(e, "required key 'name' is missing"));
}

// Review 18: the whole message reaches the terminal escaped and bounded, not only the value.
namespace {
// A message fit for a terminal: one line, no control byte, no invisible byte-order mark.
bool one_clean_line(const std::string& m) {
  for (const char c : m) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return !has(m, "\xef\xbb\xbf");
}
}  // namespace

TEST_CASE("review 18: user text in the problem and the key path is escaped, on one line") {
  const std::string base = good("scenario.yaml");
  // A unit that clears the screen was echoed raw in "unknown unit '...' in '...'".
  std::string e = scenario_error(edited(base, "duration: 40 s", "duration: \"40 \x1b[2J\x1b[31mPWNED\x07\""));
  CHECK(has(e, "s.yaml:3:11: key 'duration', value '40 \\x1b[2J\\x1b[31mPWNED\\x07': unknown unit '\\x1b[2J\\x1b[31mPWNED\\x07' in "
               "'40 \\x1b[2J\\x1b[31mPWNED\\x07'"));
  CHECK(one_clean_line(e));
  // An unknown site, in "unknown site '...'".
  e = scenario_error(edited(base, "    site: plant", "    site: \"pl\x1b[31mant\""));
  CHECK(has(e, "unknown site 'pl\\x1b[31mant'"));
  CHECK(one_clean_line(e));
  // An unknown key: in the key path and in the problem.
  e = scenario_error(edited(base, "name: ", "\"x\x1b[31m\": 1\nname: "));
  CHECK(has(e, "s.yaml:2:1: key 'x\\x1b[31m': unknown key 'x\\x1b[31m'"));
  CHECK(one_clean_line(e));
  // A block scalar's newlines split one error over four lines.
  e = scenario_error(edited(base, "duration: 40 s", "duration: |\n  40 s\n  extra"));
  CHECK(has(e, "unknown unit 's\\x0aextra' in '40 s\\x0aextra\\x0a'"));
  CHECK(one_clean_line(e));
  // Invisible characters that reorder or hide text are named.
  e = scenario_error(edited(base, "    site: plant", "    site: \"pl\xe2\x80\xae" "ant\""));
  CHECK(has(e, "unknown site 'pl\\u202Eant'"));
}

TEST_CASE("review 18: user text quoted in a problem is cut, so that a message stays short") {
  const std::string base = good("scenario.yaml");
  // A number of five million digits was repeated whole (a 5 MB message).
  std::string e = scenario_error(edited(base, "duration: 40 s", "duration: 4" + std::string(5000000, '0') + " s"));
  CHECK(has(e, "the number '4000"));
  CHECK(has(e, "...' is out of range"));
  CHECK(e.size() < 600);
  // A 3 MB site id.
  e = scenario_error(edited(base, "    site: plant", "    site: " + std::string(3000000, 'p')));
  CHECK(has(e, "unknown site 'ppp"));
  CHECK(has(e, "...' (known: plant)"));
  CHECK(e.size() < 600);
  // A 1000-character unknown key (YAML allows 1024): the key path and the problem are both cut.
  e = scenario_error(edited(base, "name: ", std::string(1000, 'k') + ": 1\nname: "));
  CHECK(has(e, "unknown key 'kkk"));
  CHECK(e.size() < 600);
}

TEST_CASE("review 18: an empty streams or batch_jobs list is refused at that list") {
  const std::string base = good("scenario.yaml");
  const auto from = base.find("streams:\n");
  const auto to = base.find("costs:\n");
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  const std::string without = base.substr(0, from) + base.substr(to);
  // Was "s.yaml:2:1: key 'streams', value '<a mapping>'": the top of the file.
  std::string e = scenario_error(base.substr(0, from) + "streams: []\n" + base.substr(to));
  CHECK(has(e, "s.yaml:11:10: key 'streams', value '[]': a scenario needs at least one stream or one batch job"));
  e = scenario_error(base.substr(0, from) + "batch_jobs: []\n" + base.substr(to));
  CHECK(has(e, "s.yaml:11:13: key 'batch_jobs', value '[]': a scenario needs at least one stream or one batch job"));
  // Neither key: the top of the file, as before.
  e = scenario_error(without);
  CHECK(has(e, "s.yaml:2:1: key 'streams', value '<a mapping>': a scenario needs at least one stream or one batch job"));
}

TEST_CASE("review 18: a document after a document end '...' is named as such, not as after '---'") {
  // The baseline has 32 lines: the '...' is line 33.
  const std::string e = scenario_error(good("scenario.yaml") + "...\nname: second\n");
  CHECK(has(e, "s.yaml:34:1: a second YAML document starts here, after the document end marker '...' at line 33"));
  CHECK_FALSE(has(e, "'---'"));
  // '...' then '---': the '---' starts it.
  CHECK(has(scenario_error(good("scenario.yaml") + "...\n---\nname: second\n"), "s.yaml:34:1: a second YAML document starts here (after '---')"));
}

TEST_CASE("review 18: a second byte-order mark is named at its place, not shown as part of a key") {
  // Was "unknown key '<U+FEFF># A valid scenario...'" with the mark invisible.
  std::string e = scenario_error("\xef\xbb\xbf\xef\xbb\xbf" + good("scenario.yaml"));
  CHECK(has(e, "s.yaml:1:1: a second byte-order mark (U+FEFF, bytes EF BB BF) here: the file starts with two"));
  CHECK(one_clean_line(e));
  e = scenario_error(good("scenario.yaml") + "\xef\xbb\xbf# joined\n");
  CHECK(has(e, "s.yaml:33:1: a byte-order mark (U+FEFF, bytes EF BB BF) starts this line"));
  // One at the start is fine.
  CHECK(scenario_error("\xef\xbb\xbf" + good("scenario.yaml")).empty());
}
