#include "sim/io/detail/yaml_reader.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <map>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/text.hpp"
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "sim/io/loaders.hpp"

namespace hw::detail {

Location location_of(const std::string& file, const YAML::Node& n) {
  Location l{file, 0, 0};
  if (n.IsDefined() && n.Mark().line >= 0) {
    l.line = n.Mark().line + 1;
    l.column = n.Mark().column + 1;
  }
  return l;
}

std::string scalar_text(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "";
  if (n.IsScalar()) return n.Scalar();
  if (n.IsSequence()) return n.size() == 0 ? "[]" : "<a list>";
  return n.size() == 0 ? "{}" : "<a mapping>";
}

std::optional<double> plain_number(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string::npos) return std::nullopt;
  try {
    std::size_t pos = 0;
    const double v = std::stod(text, &pos);
    if (pos != text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
  } catch (const std::exception&) {  // no digits, or out of range
    return std::nullopt;
  }
}

void fail(const std::string& file, const YAML::Node& n, const std::string& key,
          const std::string& problem) {
  throw InputError(location_of(file, n), key, scalar_text(n), problem);
}

YAML::Node load_yaml_file(const std::string& path) {
  return load_yaml_text(read_limited(path), path);
}

namespace {
// What a path that is not a regular file is, for the message refusing it.
std::string kind_of_special(mode_t mode) {
  if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// An anonymous pipe (`hwplan validate <(cat f)`, whose /dev/fd/N is one) has a writer for as
// long as it can be read; a named pipe made by mkfifo may never get one, and opening it would
// wait forever. Linux keeps anonymous pipes on pipefs, named ones on the file's own file system.
bool anonymous_pipe(int fd) {
#ifdef __linux__
  constexpr long kPipefsMagic = 0x50495045;  // PIPEFS_MAGIC, <linux/magic.h>
  struct statfs fs_info {};
  return ::fstatfs(fd, &fs_info) == 0 && static_cast<long>(fs_info.f_type) == kPipefsMagic;
#else
  (void)fd;
  return false;
#endif
}

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};
}  // namespace

std::string read_limited(const std::string& path) {
  std::error_code ec;
  const bool stdin_path = path == "/dev/stdin";
  if (!stdin_path && !std::filesystem::exists(path, ec)) {
    throw InputError(Location{path, 0, 0}, "", "", "file not found");
  }
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(Location{path, 0, 0}, "", "", "is a directory, expected a file");
  }
  // Open without blocking (a named pipe would wait here for a writer), then refuse what is
  // neither a regular file, standard input nor an anonymous pipe: a FIFO or a device may
  // never end.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (stdin_path ? 0 : O_NONBLOCK));
  if (fd < 0) {
    throw InputError(Location{path, 0, 0}, "", "", fmt::format("cannot be opened for reading: {}", std::strerror(errno)));
  }
  FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    throw InputError(Location{path, 0, 0}, "", "", fmt::format("cannot be read: {}", std::strerror(errno)));
  }
  if (!stdin_path && !S_ISREG(st.st_mode) && !(S_ISFIFO(st.st_mode) && anonymous_pipe(fd))) {
    throw InputError(Location{path, 0, 0}, "", "",
                     fmt::format("is {}, not a regular file; give a file, - for standard input, or a pipe such as <(cat FILE)",
                                 kind_of_special(st.st_mode)));
  }
  if (const int flags = ::fcntl(fd, F_GETFL); flags >= 0 && (flags & O_NONBLOCK) != 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  // Read in chunks up to the limit (a pipe has no size to ask for in advance).
  const std::uint64_t limit = input_limits().file_bytes;
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t got = ::read(fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw InputError(Location{path, 0, 0}, "", "", fmt::format("cannot be read: {}", std::strerror(errno)));
    if (got == 0) break;
    text.append(buf, static_cast<std::size_t>(got));
    if (text.size() > limit) {
      throw InputError(Location{path, 0, 0}, "", "",
                       fmt::format("the file is larger than the limit of {} bytes (raise it with --limit file-size=N)", limit));
    }
  }
  return text;
}

namespace {
// Counts the YAML events of a document and stops at the limit, before any node is built:
// a file of a million nodes is refused in a fraction of the time and memory loading it takes.
// It also finds a quoted value that is never closed: yaml-cpp takes everything to the end of
// the file as that one value (`name: "Two warehouses` swallows every later line), and the
// file would then be "missing" keys it plainly has.
struct TooManyNodes {
  YAML::Mark mark;
};
struct UnclosedQuote {
  YAML::Mark mark;
  char quote;
};
class NodeCounter : public YAML::EventHandler {
 public:
  NodeCounter(std::uint64_t limit, const std::string& text) : limit_(limit), text_(text) {
    // yaml-cpp's marks count the bytes of UTF-8 text after a byte-order mark; text in another
    // encoding (UTF-16 or 32, with NUL bytes) is converted first and its marks are not offsets
    // into `text`: no quote check there.
    if (text_.rfind("\xef\xbb\xbf", 0) == 0) offset_ = 3;
    if (text_.find('\0') != std::string::npos) offset_ = -1;
  }
  void OnDocumentStart(const YAML::Mark& m) override { document_ = m; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { count(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { count(m); }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t, const std::string&) override {
    count(m);
    if (tag == "!") check_quote(m);  // "!": a quoted scalar without a tag of its own
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override { count(m); }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override { count(m); }
  void OnMapEnd() override {}
  [[nodiscard]] const YAML::Mark& document_start() const { return document_; }

 private:
  void count(const YAML::Mark& m) {
    if (++n_ > limit_) throw TooManyNodes{m};
  }
  // A scalar that starts with a quote must have its closing quote in the text ('' is a
  // quote inside single quotes, \" inside double quotes).
  void check_quote(const YAML::Mark& m) {
    if (offset_ < 0 || m.pos < 0 || static_cast<std::size_t>(m.pos + offset_) >= text_.size()) return;
    const auto start = static_cast<std::size_t>(m.pos + offset_);
    const char q = text_[start];
    if (q != '"' && q != '\'') return;
    for (std::size_t i = start + 1; i < text_.size(); ++i) {
      if (q == '"' && text_[i] == '\\') {
        ++i;
      } else if (text_[i] == q) {
        if (q == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
          ++i;
          continue;
        }
        return;
      }
    }
    throw UnclosedQuote{m, q};
  }
  std::uint64_t limit_;
  const std::string& text_;
  int offset_ = 0;  // of yaml-cpp's marks in `text`; -1: marks are not offsets into it
  std::uint64_t n_ = 0;
  YAML::Mark document_;
};

// The marker before the document that starts at 0-based `line` of `text`, with its 1-based
// line: "---" when that line or the nearest marker line above it is a '---', "..." when it is
// a document end '...' (after which YAML starts a new document without a '---'); "" when none
// is found (text in UTF-16 or 32).
std::pair<std::string, int> document_marker(const std::string& text, int line) {
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at <= text.size() && static_cast<int>(lines.size()) <= line;) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    lines.emplace_back(text.data() + at, end - at);
    at = end + 1;
  }
  auto starts = [](std::string_view l, std::string_view m) {
    if (l.starts_with("\xef\xbb\xbf")) l.remove_prefix(3);
    return l.starts_with(m) && (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
  };
  for (int k = std::min(line, static_cast<int>(lines.size()) - 1); k >= 0; --k) {
    if (starts(lines[static_cast<std::size_t>(k)], "---")) return {"---", k + 1};
    if (starts(lines[static_cast<std::size_t>(k)], "...")) return {"...", k + 1};
  }
  return {"", 0};
}

void check_yaml_events(const std::string& text, const std::string& display_name) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  NodeCounter counter(input_limits().yaml_nodes, text);
  try {
    parser.HandleNextDocument(counter);
    // A second document (after a later '---') would be dropped without a word by the loader,
    // which reads the first only.
    if (parser.HandleNextDocument(counter)) {
      const YAML::Mark& m = counter.document_start();
      // After a document end '...' a new document needs no '---': say which the file has.
      if (const auto [marker, at] = document_marker(text, m.line); marker == "...") {
        throw InputError(Location{display_name, m.line + 1, m.column + 1}, "", "",
                         fmt::format("a second YAML document starts here, after the document end marker '...' at line {}; a "
                                     "hwplan file holds one document: delete that '...' line to keep what follows in this "
                                     "document, or move what follows to a file of its own",
                                     at));
      }
      throw InputError(Location{display_name, m.line + 1, m.column + 1}, "", "",
                       "a second YAML document starts here (after '---'); a hwplan file holds one document: remove this "
                       "'---' line and what follows it, or move that part to a file of its own");
    }
  } catch (const TooManyNodes& e) {
    throw InputError(Location{display_name, e.mark.line + 1, e.mark.column + 1}, "", "",
                     fmt::format("the file has more than {} YAML nodes (values, lists and mappings); "
                                 "raise the limit with --limit yaml-nodes=N",
                                 input_limits().yaml_nodes));
  } catch (const UnclosedQuote& e) {
    throw InputError(Location{display_name, e.mark.line + 1, e.mark.column + 1}, "", "",
                     fmt::format("YAML syntax error: the value opened with {} here is never closed, so it would run to the end "
                                 "of the file; add the closing {}",
                                 e.quote == '"' ? "a double quote (\")" : "a single quote (')", e.quote));
  }
}
}  // namespace

namespace {
// YAML is Unicode text, and hwplan reads UTF-8 (or UTF-16/32 with a byte-order mark, which
// yaml-cpp converts). Bytes that are not UTF-8 (a Latin-1 'é'), a NUL byte (a binary file) or a
// carriage return that ends a line by itself (classic Mac OS) are refused here, at their line
// and column, with what they are: yaml-cpp would pass Latin-1 bytes through raw, stop at a NUL
// with "unknown escape character" at another line, and read a CR-only file as one comment line
// ("the file is empty").
void check_text(const std::string& text, const std::string& display_name) {
  const auto* b = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
    i = 3;  // the UTF-8 byte-order mark
  } else if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF) || b[0] == 0 || b[1] == 0)) {
    return;  // UTF-16 or UTF-32 (a byte-order mark, or an ASCII first character next to a NUL): yaml-cpp's to read
  }
  int line = 1;
  int column = 1;  // in characters
  const bool has_lf = text.find('\n') != std::string::npos;
  while (i < n) {
    const unsigned char c = b[i];
    if (c == 0) {
      throw InputError(Location{display_name, line, column}, "", "",
                       "not a text file: NUL byte (0x00) here; hwplan reads YAML files, which are UTF-8 text");
    }
    if (c == '\r' && (i + 1 >= n || b[i + 1] != '\n')) {
      throw InputError(Location{display_name, line, column}, "", "",
                       has_lf ? "a carriage return (CR, \\r) ends a line by itself here; lines must end with LF or CR LF: "
                                "remove it or convert the file (e.g. with dos2unix)"
                              : "the file's lines end with a carriage return (CR, \\r) alone, as on classic Mac OS; YAML "
                                "needs LF or CR LF line endings: convert the file, e.g. with tr '\\r' '\\n' < FILE > NEW");
    }
    if (c == '\n') {
      ++line;
      column = 1;
      ++i;
      continue;
    }
    // A byte-order mark after the first, at the start of a line (a file saved twice with one,
    // or files joined with cat): yaml-cpp reads it as part of the key, invisible in a message.
    if (column == 1 && c == 0xEF && i + 2 < n && b[i + 1] == 0xBB && b[i + 2] == 0xBF) {
      throw InputError(Location{display_name, line, column}, "", "",
                       line == 1 ? "a second byte-order mark (U+FEFF, bytes EF BB BF) here: the file starts with two, and a "
                                   "YAML file may start with one at most; remove the extra one (editors do not show it)"
                                 : "a byte-order mark (U+FEFF, bytes EF BB BF) starts this line (files joined together?); "
                                   "only the start of a file may have one: remove it (editors do not show it)");
    }
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) ok = (b[i + k] & 0xC0) == 0x80;
    if (ok && len == 2) ok = c >= 0xC2;  // no overlong encodings
    if (ok && len == 3) {
      const unsigned cp = ((c & 0x0Fu) << 12) | ((b[i + 1] & 0x3Fu) << 6) | (b[i + 2] & 0x3Fu);
      ok = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
    }
    if (ok && len == 4) {
      const unsigned cp = ((c & 0x07u) << 18) | ((b[i + 1] & 0x3Fu) << 12) | ((b[i + 2] & 0x3Fu) << 6) | (b[i + 3] & 0x3Fu);
      ok = cp >= 0x10000 && cp <= 0x10FFFF;
    }
    if (!ok) {
      throw InputError(Location{display_name, line, column}, "", "",
                       fmt::format("the text is not valid UTF-8 (byte 0x{:02X}); hwplan reads YAML as UTF-8: save the file "
                                   "as UTF-8 (from Latin-1: iconv -f latin1 -t utf-8 FILE > NEW)",
                                   c));
    }
    i += len;
    ++column;
  }
}
}  // namespace

namespace {
// Where flow nesting ('[' and '{') first reaches `depth` levels in UTF-8 text, skipping quoted
// text and comments; nullopt if it never does (block nesting, or text of another encoding).
// yaml-cpp's mark for a too-deep flow list is where its scanner had read to, which for
// `sites: [[[[...` is past the end of the line.
std::optional<Location> flow_depth_location(const std::string& text, const std::string& display_name, int depth) {
  if (text.find('\0') != std::string::npos) return std::nullopt;
  int line = 1;
  int column = 1;
  int level = 0;
  char quote = 0;
  bool comment = false;
  for (std::size_t i = text.rfind("\xef\xbb\xbf", 0) == 0 ? 3 : 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      column = 1;
      comment = false;
      continue;
    }
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;  // a character, not a continuation byte
    const int at = column - 1;
    if (comment) continue;
    if (quote != 0) {
      if (quote == '"' && c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      comment = true;
    } else if (c == '[' || c == '{') {
      if (++level >= depth) return Location{display_name, line, at};
    } else if ((c == ']' || c == '}') && level > 0) {
      --level;
    }
  }
  return std::nullopt;
}
}  // namespace

YAML::Node load_yaml_text(const std::string& text, const std::string& display_name) {
  if (text.size() > input_limits().file_bytes) {
    throw InputError(Location{display_name, 0, 0}, "", "",
                     fmt::format("the text is larger than the limit of {} bytes (raise it with --limit file-size=N)",
                                 input_limits().file_bytes));
  }
  check_text(text, display_name);
  try {
    check_yaml_events(text, display_name);
    YAML::Node root = YAML::Load(text);
    if (!root.IsDefined() || root.IsNull()) {
      throw InputError(Location{display_name, 1, 1}, "", "", "the file is empty; expected a YAML mapping");
    }
    return root;
  } catch (const YAML::DeepRecursion& e) {  // yaml-cpp's own guard against stack exhaustion
    // The document's top-level mapping is one level of yaml-cpp's count: the bracket that goes
    // past the limit is at flow depth depth() - 1.
    const Location deep = flow_depth_location(text, display_name, static_cast<int>(e.depth()) - 1)
                              .value_or(Location{display_name, e.mark.line + 1, e.mark.column + 1});
    throw InputError(deep, "", "",
                     fmt::format("the YAML nests lists and mappings too deeply here (the YAML reader stops at a "
                                 "nesting depth of {}); hwplan's files need fewer than 10 levels",
                                 e.depth()));
  } catch (const YAML::Exception& e) {
    throw InputError(Location{display_name, e.mark.line + 1, e.mark.column + 1}, "", "",
                     "YAML syntax error: " + e.msg);  // a byte it quotes (\x01) is escaped by InputError
  }
}

namespace {

// A key a user meant to be `want`: did_you_mean's rule (an edit distance within
// max(1, len/3), two swapped neighbours counting as one edit, case, a prefix) either way round.
bool near_key(const std::string& typed, const std::string& want) {
  return did_you_mean(typed, {want}) || did_you_mean(want, {typed});
}

// The known key to suggest for an unknown one, if any.
std::optional<std::string> suggestion(const std::string& typed, const std::vector<std::string>& known) {
  if (auto near = did_you_mean(typed, known)) return near;
  for (const auto& k : known) {
    if (near_key(typed, k)) return k;
  }
  return std::nullopt;
}

}  // namespace

namespace {
// yaml-cpp reads a merge key as an ordinary key named '<<' and merges nothing.
[[noreturn]] void throw_merge_key(const std::string& file, const YAML::Node& key, const std::string& where) {
  throw InputError(location_of(file, key), where, "",
                   "YAML merge keys ('<<: *name') are not supported; write the keys out in this mapping (an alias "
                   "'*name' may stand for a whole value, as in 'slo: *tight')");
}
}  // namespace

MapReader::MapReader(const YAML::Node& node, std::string file, std::string path)
    : node_(node), file_(std::move(file)), path_(std::move(path)) {
  if (!node_.IsMap()) {
    fail(file_, node_, path_.empty() ? "<top>" : path_,
         fmt::format("expected a mapping of 'key: value' lines, got {}",
                     node_.IsSequence() ? "a list" : node_.IsScalar() ? "a single value" : "nothing"));
  }
  // yaml-cpp keeps both copies of a repeated key and lookups see the first: reject it.
  std::map<std::string, YAML::Node> seen;
  for (const auto& kv : node_) {
    // A key is a word: `? [a, b]`, `{a: 1}: 1` and `~: 1` read as the key '' otherwise.
    if (!kv.first.IsScalar() || (kv.first.Tag() != "!" && (kv.first.Scalar() == "~" || kv.first.Scalar().empty()))) {
      throw InputError(location_of(file_, kv.first), path_.empty() ? "<top>" : path_, "",
                       fmt::format("a key here is {}; keys are words, like 'name: ...'",
                                   kv.first.IsSequence() ? "a list" : kv.first.IsMap() ? "a mapping" : "empty (null)"));
    }
    const std::string k = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
    // A merge key first: it usually brings required keys, and "required key 'latency' is
    // missing" would send the user to fix the wrong thing.
    if (k == "<<" && kv.first.Tag() != "!") throw_merge_key(file_, kv.first, path_.empty() ? k : path_ + "." + k);
    if (auto [it, fresh] = seen.emplace(k, kv.second); !fresh) {
      const YAML::Node& first = it->second;
      const std::string earlier = first.IsDefined() && first.Mark().line >= 0 ? fmt::format(" at line {}", first.Mark().line + 1) : "";
      throw InputError(location_of(file_, kv.first), (path_.empty() ? k : path_ + "." + k), scalar_text(kv.second),
                       fmt::format("key '{}' is given twice in this mapping (first{}, value '{}'); keep one", printable(k), earlier,
                                   printable(scalar_text(first))));
    }
  }
}

std::string MapReader::path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

bool MapReader::has(const std::string& key) const {
  auto n = node_[key];
  return n.IsDefined() && !n.IsNull();
}

YAML::Node MapReader::get_(const std::string& key) {
  used_.insert(key);
  auto n = node_[key];
  if (!n.IsDefined() || n.IsNull()) {
    reject_misspelling_of(key);
    // Name the keys the mapping does have: `slo: {p99: 500 ms}` said only that 'latency' is
    // missing, and never that 'p99' is not a key here.
    // An empty value counts as absent: `latency: ~` is said as empty, not listed as given.
    if (n.IsDefined() && n.IsNull()) {
      throw InputError(location_of(file_, node_), path(key), "",
                       fmt::format("required key '{}' is empty; give it a value", key));
    }
    std::string given;
    std::size_t n_given = 0;
    for (const auto& kv : node_) {
      if (!kv.first.IsScalar() || kv.second.IsNull()) continue;
      if (++n_given <= 12) given += (given.empty() ? "" : ", ") + printable(kv.first.Scalar(), 40);
    }
    if (n_given > 12) given += fmt::format(" and {} more", n_given - 12);
    throw InputError(location_of(file_, node_), path(key), "",
                     given.empty() ? fmt::format("required key '{}' is missing (the mapping is empty)", key)
                                   : fmt::format("required key '{}' is missing (keys given here: {})", key, given));
  }
  return n;
}

void MapReader::reject_misspelling_of(const std::string& key, const std::string& why) const {
  // A missing key is most often a misspelt one: name the typo at its own line rather than
  // the mapping's first line. A key the mapping allows is never the typo, read already or
  // not: `{bytes_per_item: 1 MB}` without flops_per_item is a missing key, not a misspelt one
  // (allowed: allow()ed, declared by expect_only, or read).
  for (const auto& kv : node_) {
    const std::string k = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
    if (k.empty() || k == key || used_.contains(k) || declared_.contains(k)) continue;
    if (near_key(k, key)) {
      throw InputError(location_of(file_, kv.first), path(k), "",
                       fmt::format("unknown key '{}'; did you mean '{}'? ({})", printable(k), key,
                                   why.empty() ? fmt::format("the required key '{}' is missing", key) : why));
    }
  }
}

YAML::Node MapReader::node(const std::string& key) { return get_(key); }

std::string MapReader::str(const std::string& key) {
  auto n = get_(key);
  if (!n.IsScalar()) fail(file_, n, path(key), "expected a text value");
  return n.Scalar();
}

std::string MapReader::str_or(const std::string& key, const std::string& fallback) {
  used_.insert(key);
  return has(key) ? str(key) : fallback;
}

double MapReader::quantity_at(const YAML::Node& n, const std::string& key, UnitKind kind) const {
  if (!n.IsScalar()) fail(file_, n, key, "expected " + expected_form(kind));
  double v = 0;
  try {
    v = parse_quantity(n.Scalar(), kind, key).si;
  } catch (const UnitError& e) {
    fail(file_, n, key, e.what());
  }
  // No quantity in hwplan's inputs can be negative, or so large that figures computed from it
  // overflow.
  if (v < 0) fail(file_, n, key, "must not be negative; expected " + expected_form(kind));
  if (auto why = magnitude_problem(v, kind)) fail(file_, n, key, *why);
  return v;
}

double MapReader::quantity(const std::string& key, UnitKind kind) {
  return quantity_at(get_(key), path(key), kind);
}

double MapReader::quantity_or(const std::string& key, UnitKind kind, double fallback) {
  used_.insert(key);
  return has(key) ? quantity(key, kind) : fallback;
}

ParsedQuantity MapReader::priced(const std::string& key, UnitKind kind) {
  auto n = get_(key);
  if (!n.IsScalar()) fail(file_, n, path(key), "expected " + expected_form(kind));
  ParsedQuantity q;
  try {
    q = parse_quantity(n.Scalar(), kind, key);
  } catch (const UnitError& e) {
    fail(file_, n, path(key), e.what());
  }
  if (q.si < 0) fail(file_, n, path(key), "must not be negative; expected " + expected_form(kind));
  if (auto why = magnitude_problem(q.si, kind, q.currency)) fail(file_, n, path(key), *why);
  return q;
}

double MapReader::number(const std::string& key, double lo, double hi) {
  auto n = get_(key);
  std::string expected = fmt::format("a number between {} and {}", lo, hi);
  if (!n.IsScalar()) fail(file_, n, path(key), "expected " + expected);
  // `percentile: 99%`: the number is right, the sign is not wanted.
  if (const std::string& t = n.Scalar(); t.size() > 1 && t.back() == '%') {
    std::string bare = t.substr(0, t.size() - 1);
    while (!bare.empty() && bare.back() == ' ') bare.pop_back();
    if (const auto b = plain_number(bare)) {
      // A range above 1 is in percent (percentile: 99); one within 0-1 is a fraction, where
      // 1% is 0.01.
      if (hi > 1 && *b >= lo && *b <= hi) fail(file_, n, path(key), fmt::format("expected {}, without a '%': write {}", expected, bare));
      if (hi <= 1 && *b / 100 >= lo && *b / 100 <= hi) {
        fail(file_, n, path(key), fmt::format("expected {} (a fraction, without a '%'): write {:g}", expected, *b / 100));
      }
    }
  }
  const auto v = plain_number(n.Scalar());
  if (!v || *v < lo || *v > hi) fail(file_, n, path(key), "expected " + expected);
  return *v;
}

double MapReader::number_or(const std::string& key, double lo, double hi, double fallback) {
  used_.insert(key);
  return has(key) ? number(key, lo, hi) : fallback;
}

long MapReader::integer(const std::string& key, long lo, long hi) {
  auto n = get_(key);
  std::string expected = fmt::format("a whole number between {} and {}", lo, hi);
  if (!n.IsScalar()) fail(file_, n, path(key), "expected " + expected);
  long v = 0;
  try {
    std::size_t pos = 0;
    v = std::stol(n.Scalar(), &pos);
    if (pos != n.Scalar().size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    fail(file_, n, path(key), "expected " + expected);
  }
  if (v < lo || v > hi) fail(file_, n, path(key), "expected " + expected);
  return v;
}

long MapReader::integer_or(const std::string& key, long lo, long hi, long fallback) {
  used_.insert(key);
  return has(key) ? integer(key, lo, hi) : fallback;
}

bool MapReader::boolean_or(const std::string& key, bool fallback) {
  used_.insert(key);
  if (!has(key)) return fallback;
  auto n = get_(key);
  if (n.IsScalar()) {
    const auto& s = n.Scalar();
    if (s == "true" || s == "yes") return true;
    if (s == "false" || s == "no") return false;
  }
  fail(file_, n, path(key), "expected true or false");
}

std::string MapReader::choice(const std::string& key, const std::vector<std::string>& allowed) {
  auto n = get_(key);
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  if (!n.IsScalar()) fail(file_, n, path(key), "expected one of: " + list);
  for (const auto& a : allowed) {
    if (a == n.Scalar()) return a;
  }
  std::string hint;
  if (auto near = did_you_mean(n.Scalar(), allowed)) hint = fmt::format(" (did you mean '{}'?)", *near);
  fail(file_, n, path(key), "expected one of: " + list + hint);
}

std::string MapReader::choice_or(const std::string& key, const std::vector<std::string>& allowed,
                                 const std::string& fallback) {
  used_.insert(key);
  return has(key) ? choice(key, allowed) : fallback;
}

std::vector<std::string> MapReader::string_list_or(const std::string& key) {
  used_.insert(key);
  std::vector<std::string> out;
  if (!has(key)) return out;
  auto n = get_(key);
  if (n.IsScalar()) return {n.Scalar()};
  if (!n.IsSequence()) fail(file_, n, path(key), "expected a list of text values");
  for (const auto& item : n) {
    if (!item.IsScalar()) fail(file_, item, path(key), "expected a text value in the list");
    out.push_back(item.Scalar());
  }
  return out;
}

std::map<std::string, std::string> MapReader::string_map_or(const std::string& key) {
  used_.insert(key);
  std::map<std::string, std::string> out;
  if (!has(key)) return out;
  auto n = get_(key);
  if (!n.IsMap()) fail(file_, n, path(key), "expected a mapping of 'name: text' lines");
  MapReader check_duplicates(n, file_, path(key));  // any key names, but each once
  for (const auto& kv : n) {
    if (!kv.second.IsScalar()) fail(file_, kv.second, path(key) + "." + kv.first.Scalar(), "expected a text value");
    out[kv.first.Scalar()] = kv.second.Scalar();
  }
  return out;
}

namespace {

[[noreturn]] void unknown_key(const std::string& file, const YAML::Node& key, const std::string& where,
                              const std::set<std::string>& allowed) {
  const std::string k = key.Scalar();
  if (k == "<<") throw_merge_key(file, key, where);
  std::vector<std::string> known(allowed.begin(), allowed.end());
  std::string hint;
  if (auto near = suggestion(k, known)) hint = fmt::format("; did you mean '{}'?", *near);
  std::string list;
  for (const auto& u : known) list += (list.empty() ? "" : ", ") + u;
  throw InputError(location_of(file, key), where, "", fmt::format("unknown key '{}'{} (known keys here: {})", printable(k), hint, list));
}

}  // namespace

void MapReader::expect_only(const std::vector<std::string>& keys) {
  declared_.insert(keys.begin(), keys.end());
  const YAML::Node& self = node_;  // the const operator[] looks up without adding a key
  for (const auto& kv : self) {
    const std::string k = kv.first.Scalar();
    if (declared_.contains(k)) continue;
    // A slip for a key the mapping lacks is left to the reading of that key, which says why
    // the key is needed when it is ("... (a scenario needs at least one stream ...)"), or
    // to finish() when it is optional.
    bool slip = false;
    for (const auto& d : declared_) slip = slip || (!self[d].IsDefined() && k != "<<" && near_key(k, d));
    if (!slip) unknown_key(file_, kv.first, path(k), declared_);
  }
}

void MapReader::finish(const std::vector<std::string>& also_allowed) {
  for (const auto& a : also_allowed) used_.insert(a);
  for (const auto& u : used_) {
    if (!declared_.empty() && !declared_.contains(u)) {
      throw std::logic_error(fmt::format("internal error: the loader read key '{}' of '{}' in {}, which its expect_only list "
                                         "does not declare",
                                         u, path_.empty() ? "<top>" : path_, file_));
    }
  }
  for (const auto& kv : node_) {
    if (!used_.contains(kv.first.Scalar())) unknown_key(file_, kv.first, path(kv.first.Scalar()), used_);
  }
}

}  // namespace hw::detail
