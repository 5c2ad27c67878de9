// Loader messages of the input review of 2026-12-02 (branch loaderfix): each bad input is refused
// at its own line and column, with the value and what is expected. The base texts are
// tests/data/good/ files (line numbers below are theirs).
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/io/loaders.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string good(const std::string& name) { return slurp(std::string(HWPLAN_TEST_DATA) + "/good/" + name); }

std::string edited(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

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

std::string kind_error(const std::string& text) {
  try {
    (void)hw::detect_kind_text(text, "odd.yaml");
  } catch (const hw::InputError& e) {
    return e.what();
  }
  return "";
}

struct Scratch {
  fs::path dir;
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "hwplan-loadmsg-XXXXXX").string();
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

}  // namespace

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
