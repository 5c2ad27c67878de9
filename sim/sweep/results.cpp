#include "sim/sweep/results.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "sim/core/errors.hpp"
#include "sim/core/files.hpp"
#include "sim/io/report.hpp"

namespace fs = std::filesystem;

namespace hw::sweep {
namespace {

constexpr const char* kSchema = "hwplan-sweep";
constexpr int kVersion = 1;

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? header.size() : static_cast<std::size_t>(it - header.begin());
}

Status status_from(const std::string& s) {
  if (s == "ok") return Status::ok;
  if (s == "infeasible") return Status::infeasible;
  if (s == "failed") return Status::failed;
  throw std::runtime_error(fmt::format("unknown variant_status '{}'", s));
}

// Each simulation's engine wall time (`wall_time_s` of every run result in the report) is
// dropped: it differs between identical runs, and the file must not depend on --jobs, on MPI
// or on the machine (recommend's `stats`, which hold its wall time, are dropped likewise).
void drop_wall_times(nlohmann::json& j) {
  if (j.is_object()) {
    j.erase("wall_time_s");
    for (auto& [k, v] : j.items()) drop_wall_times(v);
  } else if (j.is_array()) {
    for (auto& v : j) drop_wall_times(v);
  }
}

}  // namespace

std::string to_string(Status s) {
  switch (s) {
    case Status::ok: return "ok";
    case Status::infeasible: return "infeasible";
    case Status::failed: return "failed";
  }
  return "";
}

std::string answer_words(const std::string& family, const std::string& hybrid_kind, const std::string& hardware) {
  if (hybrid_kind == "train-infer-loop") return "loop edge " + hardware;  // as recommend labels it
  return family + " " + hardware;
}

std::string shown_answer(const std::string& answer) { return answer == "none" ? "nothing feasible" : answer; }

std::string answer_from_rows(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows, Status status) {
  if (status == Status::failed) return "failed";
  const std::size_t rec = column(header, "recommended"), fam = column(header, "family"), hw = column(header, "hardware"),
                    kind = column(header, "hybrid_kind");
  for (const auto& r : rows) {
    if (rec < r.size() && r[rec] == "true" && fam < r.size() && hw < r.size()) return answer_words(r[fam], kind < r.size() ? r[kind] : "", r[hw]);
  }
  return "none";
}

std::vector<std::string> rejected_for_too_few_requests(const std::vector<std::string>& header,
                                                       const std::vector<std::vector<std::string>>& rows) {
  const std::size_t fam = column(header, "family"), hw = column(header, "hardware"), kind = column(header, "hybrid_kind"),
                    reason = column(header, "reason");
  std::vector<std::string> out;
  for (const auto& r : rows) {
    if (reason >= r.size() || fam >= r.size() || hw >= r.size()) continue;
    if (r[reason].find("not enough requests to certify") == std::string::npos) continue;
    const std::string label = answer_words(r[fam], kind < r.size() ? r[kind] : "", r[hw]);
    if (std::find(out.begin(), out.end(), label) == out.end()) out.push_back(label);
  }
  return out;
}

namespace {
// RFC 4180 records; `torn` set when the text ends inside the last record (no line end after
// it, or inside a quoted field): that record is then the last of the result, as far as it goes.
std::vector<std::vector<std::string>> parse_csv_records(const std::string& text, bool& torn) {
  torn = false;
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> rec;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      rec.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        rec.push_back(std::move(field));
        out.push_back(std::move(rec));
      }
      rec.clear();
      field.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted || any || !field.empty()) {
    torn = true;
    rec.push_back(std::move(field));
    out.push_back(std::move(rec));
  }
  return out;
}
}  // namespace

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  // A quoted field open at the end is an error here; a last line without its line end is a
  // record like any other (to_csv ends every line, but other writers may not).
  if (!text.empty() && text.back() != '\n' && text.back() != '\r') {
    bool torn = false;
    auto recs = parse_csv_records(text + "\n", torn);
    if (torn) throw std::runtime_error("unterminated quoted field");
    return recs;
  }
  bool torn = false;
  auto recs = parse_csv_records(text, torn);
  if (torn) throw std::runtime_error("unterminated quoted field");
  return recs;
}

void write_durably(const std::string& path, const std::string& content) { write_file_atomic(path, content, true); }

namespace {
// What hwplan writes into a lock file: nothing yet, or a process id and a newline.
bool looks_like_lock(int fd, const struct stat& st) {
  if (st.st_size == 0) return true;
  if (st.st_size > 24) return false;
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n < 0) return false;
  const std::string_view s(buf, static_cast<std::size_t>(n));
  return s.find_first_not_of("0123456789 \n") == std::string_view::npos;
}
}  // namespace

OutputLock::OutputLock(const std::string& path) {
  const fs::path p(path);
  lock_path_ = (p.parent_path() / ("." + p.filename().string() + ".lock")).string();
  // A holder removes the file before it unlocks: one we opened may be gone from the folder
  // by the time we hold its lock. Then we hold a lock on nothing: open the new one.
  for (int attempt = 0; attempt < 100; ++attempt) {
    // O_NOFOLLOW: a symbolic link planted at the lock's name is not followed (its target was
    // truncated and overwritten with our pid); O_NONBLOCK: a FIFO there does not block.
    const int fd = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0644);
    if (fd < 0) {
      const int err = errno;
      struct stat l {};
      if (err == EISDIR || (::lstat(lock_path_.c_str(), &l) == 0 && S_ISDIR(l.st_mode))) {
        throw UsageError(fmt::format("{}: the lock file of {} is a directory, not a regular file; hwplan creates that file itself and leaves "
                                     "what it did not create untouched: remove it, or choose another --out",
                                     printable(lock_path_, 300), printable(path, 300)));
      }
      if (err == ELOOP && ::lstat(lock_path_.c_str(), &l) == 0 && S_ISLNK(l.st_mode)) {
        throw UsageError(fmt::format("{}: the lock file of {} is a symbolic link; hwplan creates that file itself and does not follow a "
                                     "link there: remove the link, or choose another --out",
                                     printable(lock_path_, 300), printable(path, 300)));
      }
      throw FileWriteError(lock_path_, std::strerror(err));
    }
    if (struct stat st {}; ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 || !looks_like_lock(fd, st)) {
      const int err = errno;
      ::close(fd);
      const std::string what = !S_ISREG(st.st_mode) ? (S_ISFIFO(st.st_mode)  ? "is a named pipe (FIFO), not a regular file"
                                                        : S_ISDIR(st.st_mode) ? "is a directory, not a regular file"
                                                        : S_ISSOCK(st.st_mode) ? "is a socket, not a regular file"
                                                        : st.st_mode == 0     ? fmt::format("cannot be examined ({})", std::strerror(err))
                                                                              : "is a device or other special file, not a regular file")
                               : st.st_nlink != 1 ? fmt::format("has {} hard links (another name for the same file)", st.st_nlink)
                                                  : "holds something other than an hwplan lock (a process id)";
      throw UsageError(fmt::format("{}: the lock file of {} {}; hwplan creates that file itself and leaves what it did not create "
                                   "untouched: remove it, or choose another --out",
                                   printable(lock_path_, 300), printable(path, 300), what));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      char buf[32] = {};
      const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
      ::close(fd);
      if (err != EWOULDBLOCK) throw FileWriteError(lock_path_, std::strerror(err));
      std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
      while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
      throw UsageError(fmt::format("{} is being written by another hwplan sweep ({}); wait for it or choose another --out", path,
                                   pid.empty() ? std::string("its pid is not known yet") : "pid " + pid));
    }
    struct stat held {}, named {};
    if (::fstat(fd, &held) == 0 && ::lstat(lock_path_.c_str(), &named) == 0 && held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
      const std::string pid = fmt::format("{}\n", ::getpid());
      if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] const ssize_t w = ::pwrite(fd, pid.data(), pid.size(), 0);
      }
      fd_ = fd;
      return;
    }
    ::close(fd);
  }
  throw FileWriteError(lock_path_, "the lock file keeps being replaced");
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  // While still held: no one can take a lock on a file about to vanish. Only the file we hold
  // (the name may have been replaced since: what is there now is not ours to delete).
  struct stat held {}, named {};
  if (::fstat(fd_, &held) == 0 && ::lstat(lock_path_.c_str(), &named) == 0 && held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
    ::unlink(lock_path_.c_str());
  }
  ::close(fd_);
}

ResultFile::ResultFile(std::string path, Format format, std::vector<std::string> axis_paths, std::vector<std::string> report_header,
                       nlohmann::json meta)
    : path_(std::move(path)), format_(format), axes_(std::move(axis_paths)), report_header_(std::move(report_header)), meta_(std::move(meta)) {}

std::vector<std::string> ResultFile::header() const {
  std::vector<std::string> h = axes_;
  h.emplace_back("variant");
  h.insert(h.end(), report_header_.begin(), report_header_.end());
  for (const char* c : {"variant_status", "variant_error", "variant_key", "variant_rows"}) h.emplace_back(c);
  return h;
}

// Moves the outcome at `index` (if any, and not `key`'s) to the first free number after the
// last, so that a variant numbered anew never overwrites a kept one.
void ResultFile::make_room(std::size_t index, const std::string& key) {
  auto it = outcomes_.find(index);
  if (it == outcomes_.end() || it->second.key == key) return;
  const std::size_t spare = outcomes_.rbegin()->first + 1;
  renumber(index, spare, it->second.values);
}

void ResultFile::renumber(std::size_t from, std::size_t to, const std::vector<std::string>& values) {
  auto node = outcomes_.extract(from);
  Outcome& o = node.mapped();
  std::string text = std::move(texts_[from]);
  texts_.erase(from);
  o.index = to;
  o.values = values;
  if (format_ == Format::json) {
    // The report is kept serialised only: edit the variant's number and values in its text.
    nlohmann::json v = nlohmann::json::parse(text);
    v["variant"] = to + 1;
    nlohmann::json vals = nlohmann::json::object();
    for (std::size_t k = 0; k < axes_.size() && k < values.size(); ++k) vals[axes_[k]] = values[k];
    v["values"] = vals;
    texts_[to] = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    texts_[to] = outcome_text(o);
  }
  node.key() = to;
  outcomes_.insert(std::move(node));
}

bool ResultFile::place(const std::string& key, std::size_t index, const std::vector<std::string>& values) {
  std::lock_guard<std::mutex> lock(mu_);
  // Usually the variant keeps its number: look there first (a resume of n variants stays
  // O(n log n); the scan below is for the renumbered ones).
  auto at = outcomes_.find(index);
  if (at == outcomes_.end() || at->second.key != key) {
    at = std::find_if(outcomes_.begin(), outcomes_.end(), [&](const auto& e) { return e.second.key == key; });
  }
  if (at == outcomes_.end()) return false;
  const std::size_t from = at->first;
  if (from == index && at->second.values == values) return false;
  if (from != index) {
    // Out of the way first: to a number no outcome holds, then into `index` once it is free.
    const std::size_t parked = outcomes_.rbegin()->first + 1;
    renumber(from, parked, values);
    make_room(index, key);
    renumber(parked, index, values);
  } else {
    renumber(from, index, values);
  }
  return true;
}

ResultFile::~ResultFile() {
  if (!writer_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  writer_.join();  // it writes what is pending first: nothing added is lost on the way out
}

void ResultFile::write_in_background() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!writer_.joinable()) writer_ = std::thread([this] { writer_loop(); });
}

void ResultFile::writer_loop() {
  std::unique_lock<std::mutex> lock(mu_);
  auto last = std::chrono::steady_clock::now() - kRewriteEvery;
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || added_ > written_; });
    if (added_ == written_) return;  // stopping, nothing pending
    // At most one rewrite per kRewriteEvery, unless someone waits for it (flush, write, the end).
    cv_.wait_until(lock, last + kRewriteEvery, [&] { return stop_ || waiting_ > 0; });
    last = std::chrono::steady_clock::now();
    const std::uint64_t generation = added_;
    const std::size_t count = outcomes_.size();
    const std::size_t before = on_disk_;
    std::exception_ptr err;
    std::string content;
    try {
      content = text();  // out of memory, say: the caller hears of it, the process does not end here
    } catch (...) {
      err = std::current_exception();
    }
    lock.unlock();
    if (!err) {
      try {
        write_counted(content, before);
      } catch (...) {
        err = std::current_exception();
      }
    }
    lock.lock();
    if (!err) on_disk_ = count;
    written_ = generation;
    if (err && !write_error_) write_error_ = err;
    cv_.notify_all();
  }
}

void ResultFile::throw_write_error(std::unique_lock<std::mutex>& lock) {
  if (!write_error_) return;
  const std::exception_ptr err = write_error_;
  write_error_ = nullptr;
  lock.unlock();
  std::rethrow_exception(err);
}

void ResultFile::flush() {
  std::unique_lock<std::mutex> lock(mu_);
  ++waiting_;
  cv_.notify_all();
  cv_.wait(lock, [&] { return written_ >= added_; });
  --waiting_;
  throw_write_error(lock);
}

void ResultFile::add(Outcome o) {
  std::unique_lock<std::mutex> lock(mu_);
  throw_write_error(lock);
  make_room(o.index, o.key);
  if (o.rows.empty() && o.status == Status::failed) {
    // A variant that could not be evaluated: one row, no candidate. What is never empty on a
    // candidate's row gets the value a notebook can filter on: not feasible, no probe, off the
    // front, not recommended; family and hardware stay empty (there is no candidate to name:
    // docs/report-columns.md, Sweep).
    std::vector<std::string> row(report_header_.size());
    auto set = [&](const char* name, std::string v) {
      const std::size_t k = column(report_header_, name);
      if (k < row.size()) row[k] = std::move(v);
    };
    set("reason", o.error);
    set("feasible", "false");
    set("probes", "0");
    set("pareto", "false");
    set("recommended", "false");
    o.rows.push_back(std::move(row));
  }
  if (o.answer.empty()) o.answer = answer_from_rows(report_header_, o.rows, o.status);
  const std::size_t i = o.index;
  texts_[i] = outcome_text(o);
  o.report = nlohmann::json();  // kept serialised in texts_ only
  outcomes_[i] = std::move(o);
  ++added_;
  if (writer_.joinable()) {
    cv_.notify_all();
    return;
  }
  written_ = added_;
  write_counted(text(), on_disk_);  // under the lock: text() reads what add() changes
  on_disk_ = outcomes_.size();
}

// A failed rewrite (a full disk) leaves the file as last written: the error says how much of
// the sweep that holds, and that --resume continues from it, as the Ctrl-C message does.
void ResultFile::write_counted(const std::string& content, std::size_t on_disk) const {
  try {
    write_durably(path_, content);
  } catch (const FileWriteError& e) {
    // A write that failed before any had succeeded (the first, on a full disk) left no file:
    // there is nothing to resume, the command is simply run again.
    std::error_code ec;
    if (on_disk == 0 && !std::filesystem::exists(std::filesystem::symlink_status(path_, ec))) {
      throw FileWriteError(e.path(), fmt::format("{}; no result file was written: make room, then run the same command again", e.reason()));
    }
    throw FileWriteError(e.path(), fmt::format("{}; the file holds {} complete variant(s), as last written: make room, then run the "
                                               "same command with --resume to continue",
                                               e.reason(), on_disk));
  }
}

void ResultFile::set_field(const std::string& name, nlohmann::json value) {
  std::lock_guard<std::mutex> lock(mu_);
  meta_[name] = std::move(value);
}

std::string ResultFile::outcome_text(const Outcome& o) const {
  if (format_ == Format::json) {
    nlohmann::json values = nlohmann::json::object();
    for (std::size_t k = 0; k < axes_.size() && k < o.values.size(); ++k) values[axes_[k]] = o.values[k];
    nlohmann::json report = o.report;
    drop_wall_times(report);
    const nlohmann::json v = {{"variant", o.index + 1}, {"key", o.key},       {"values", values}, {"status", to_string(o.status)},
                              {"error", o.error},       {"answer", o.answer}, {"report", std::move(report)}};
    return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // a name or path that is not UTF-8: U+FFFD
  }
  Table t;
  for (const auto& r : o.rows) {
    std::vector<std::string> row = o.values;
    row.resize(axes_.size());
    row.push_back(std::to_string(o.index + 1));
    std::vector<std::string> rep = r;
    rep.resize(report_header_.size());
    row.insert(row.end(), rep.begin(), rep.end());
    row.push_back(to_string(o.status));
    row.push_back(o.error);
    row.push_back(o.key);
    row.push_back(std::to_string(o.rows.size()));
    t.rows.push_back(std::move(row));
  }
  std::string csv = to_csv(t);
  // to_csv writes the (empty) header line first: keep the rows only.
  const auto nl = csv.find('\n');
  return nl == std::string::npos ? std::string() : csv.substr(nl + 1);
}

std::string ResultFile::text() const {
  if (format_ == Format::json) {
    nlohmann::json doc = {{"schema", kSchema}, {"version", kVersion}};
    for (const auto& [k, v] : meta_.items()) doc[k] = v;
    doc["axes"] = axes_;
    std::string out = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // an object: "...}"
    out.pop_back();
    out += ",\"variants\":[";
    bool first = true;
    for (const auto& [i, t] : texts_) {
      out += first ? "\n" : ",\n";
      out += t;
      first = false;
    }
    out += "\n]}\n";
    return out;
  }
  Table t;
  t.header = header();
  std::string out = to_csv(t);
  for (const auto& [i, rows] : texts_) out += rows;
  return out;
}

void ResultFile::write() {
  std::unique_lock<std::mutex> lock(mu_);
  if (writer_.joinable()) {
    ++added_;
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return written_ >= added_; });
    --waiting_;
    throw_write_error(lock);
    return;
  }
  written_ = ++added_;
  write_counted(text(), on_disk_);
  on_disk_ = outcomes_.size();
}

std::vector<Outcome> ResultFile::load_existing() {
  std::lock_guard<std::mutex> lock(mu_);
  std::string text = read_file(path_);
  // A byte-order mark (a CSV saved by Excel as "CSV UTF-8"): not part of the first column's name.
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::vector<Outcome> out;
  incomplete_.clear();
  torn_.reset();
  on_disk_ = 0;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return out;  // an empty file: nothing to keep
  if (format_ == Format::json) {
    nlohmann::json doc;
    try {
      doc = nlohmann::json::parse(text);
    } catch (const std::exception& e) {
      const bool csv = text.rfind("variant", 0) == 0 || text.find(",variant,") != std::string::npos;
      throw std::runtime_error(fmt::format("{} is not a JSON document{}: {}", path_,
                                           csv ? " (it looks like a CSV result file: resume it without --format json)" : "", printable(e.what(), 400)));
    }
    if (!doc.is_object() || doc.value("schema", "") != kSchema) throw std::runtime_error(fmt::format("{} is not an hwplan sweep result", path_));
    if (doc.value("axes", std::vector<std::string>{}) != axes_) {
      throw std::runtime_error(fmt::format("{} holds another sweep's results (its axes differ)", path_));
    }
    if (!doc.contains("variants") || !doc.at("variants").is_array()) {
      throw std::runtime_error(fmt::format("{}: key 'variants': expected a list of variants", path_));
    }
    // A file edited by hand: each variant's fields are checked, the error names the variant
    // and the key. A variant given twice (same key) is dropped and runs again, as in a CSV
    // file (where its rows then do not add up to its variant_rows).
    std::map<std::string, std::size_t> seen;  // key -> position in out
    std::set<std::string> twice;
    std::map<std::size_t, std::size_t> number_at;  // variant index -> position in the list
    const auto& list = doc.at("variants");
    for (std::size_t k = 0; k < list.size(); ++k) {
      const auto& v = list[k];
      auto bad = [&](const std::string& key, const nlohmann::json* value, const std::string& expected) {
        const std::string shown = value == nullptr ? std::string("missing") : fmt::format("value '{}'", printable(value->is_string() ? value->get<std::string>()
                                                                                                  : value->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
        return std::runtime_error(fmt::format("{}: variants[{}]{}: key '{}', {}: expected {}", path_, k,
                                              v.is_object() && v.contains("variant") && v.at("variant").is_number_unsigned()
                                                  ? fmt::format(" (variant {})", v.at("variant").get<std::uint64_t>())
                                                  : std::string(),
                                              key, shown, expected));
      };
      if (!v.is_object()) throw bad("variants", &v, "an object with variant, key, values, status, error, answer and report");
      auto field = [&](const char* key) -> const nlohmann::json* { return v.contains(key) ? &v.at(key) : nullptr; };
      const auto* n = field("variant");
      if (n == nullptr || !n->is_number_unsigned() || n->get<std::uint64_t>() == 0 || n->get<std::uint64_t>() > 1000000000) {
        throw bad("variant", n, "the variant's number, a whole number from 1");
      }
      const auto* key = field("key");
      if (key == nullptr || !key->is_string() || key->get<std::string>().empty()) throw bad("key", key, "the variant's key, a string");
      const auto* values = field("values");
      if (values == nullptr || !values->is_object()) throw bad("values", values, "an object of the axes' values");
      for (const auto& a : axes_) {
        if (values->contains(a) && !values->at(a).is_string()) throw bad("values." + a, &values->at(a), "the axis value as a string");
      }
      const auto* st = field("status");
      if (st == nullptr || !st->is_string() || (*st != "ok" && *st != "infeasible" && *st != "failed")) {
        throw bad("status", st, "'ok', 'infeasible' or 'failed'");
      }
      const auto* er = field("error");
      if (er != nullptr && !er->is_string()) throw bad("error", er, "a string (empty when the variant did not fail)");
      const auto* an = field("answer");
      if (an != nullptr && !an->is_string()) throw bad("answer", an, "a string (the variant's answer)");
      const auto* rep = field("report");
      if (*st != "failed" && (rep == nullptr || !rep->is_object() || rep->empty())) {
        throw bad("report", rep, fmt::format("the variant's report, a non-empty object (a variant with status '{}' has one)", st->get<std::string>()));
      }
      Outcome o;
      o.index = n->get<std::size_t>() - 1;
      o.key = key->get<std::string>();
      for (const auto& a : axes_) o.values.push_back(values->value(a, ""));
      o.status = status_from(st->get<std::string>());
      o.error = er != nullptr ? er->get<std::string>() : "";
      o.answer = an != nullptr ? an->get<std::string>() : "";
      o.report = rep != nullptr ? *rep : nlohmann::json();
      o.resumed = true;
      if (seen.contains(o.key)) {
        twice.insert(o.key);
        continue;
      }
      if (auto at = number_at.find(o.index); at != number_at.end()) {
        throw std::runtime_error(fmt::format("{}: variants[{}]: key 'variant', value '{}': variants[{}] has that number too, with another key",
                                             path_, k, o.index + 1, at->second));
      }
      number_at[o.index] = k;
      seen[o.key] = out.size();
      out.push_back(std::move(o));
    }
    std::vector<Outcome> kept;
    for (auto& o : out) {
      if (twice.contains(o.key)) {
        incomplete_.push_back(Incomplete{o.index, 2, 1, "is given twice"});
        continue;
      }
      texts_[o.index] = outcome_text(o);
      kept.push_back(o);
      o.report = nlohmann::json();
      outcomes_[o.index] = std::move(o);
    }
    on_disk_ = kept.size();
    return kept;
  }
  // A JSON result file resumed as CSV (--format json left out): say so, not "column 1 is '{...'".
  if (text[text.find_first_not_of(" \t\r\n")] == '{') {
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_object() && doc.contains("schema") && doc.at("schema") == kSchema) {
      throw std::runtime_error(fmt::format("{} is a JSON sweep result file; pass --format json to resume it", path_));
    }
  }
  // hwplan writes whole files, each line ended: a file that ends inside its last record was
  // cut (copied in part, a disk that filled under another tool): that record is dropped and
  // its variant runs again. A short record anywhere else stays an error.
  bool torn = false;
  std::vector<std::vector<std::string>> recs = parse_csv_records(text, torn);
  const auto h = header();
  if (torn) {
    const auto& last = recs.back();
    torn_ = Torn{recs.size(), 0};
    const std::size_t n_axes = axes_.size();
    if (recs.size() > 1 && last.size() > n_axes + 1) {
      const std::string& v = last[n_axes];
      if (!v.empty() && v.size() <= 9 && v.find_first_not_of("0123456789") == std::string::npos && v != "0") torn_->variant = std::stoul(v);
    }
    if (recs.size() == 1) {
      // Only part of the header: nothing was written after it. Not ours unless it is the start of our header.
      Table t;
      t.header = h;
      const std::string ours = to_csv(t);
      if (ours.rfind(text, 0) == 0) {
        torn_.reset();  // nothing of a variant was lost
        return out;
      }
      torn_.reset();  // not a cut header of ours: the header check below says what it is
    } else {
      recs.pop_back();
    }
  }
  if (recs.empty() || recs.front() != h) {
    // Name the first column that differs (an older hwplan's file lacks the last columns).
    const auto& got = recs.empty() ? std::vector<std::string>{} : recs.front();
    std::size_t c = 0;
    while (c < got.size() && c < h.size() && got[c] == h[c]) ++c;
    const std::string where = c < got.size() && c < h.size()
                                  ? fmt::format("column {} is '{}' where this sweep writes '{}'", c + 1, printable(got[c]), printable(h[c]))
                              : c < h.size() ? fmt::format("it has {} column(s), this sweep writes {} (the next is '{}')", got.size(), h.size(), printable(h[c]))
                                             : fmt::format("it has {} column(s), this sweep writes {}", got.size(), h.size());
    throw std::runtime_error(fmt::format("{} holds another sweep's results, or one written by another version of hwplan ({})", path_, where));
  }
  const std::size_t n_axes = axes_.size(), first_report = n_axes + 1, n_report = report_header_.size();
  std::map<std::string, std::size_t> at;  // key -> position in out
  std::vector<std::size_t> declared;      // variant_rows of each outcome in out
  auto count_field = [&](const std::string& v, const char* name, std::size_t record) -> std::size_t {
    if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos || (v == "0" && std::string(name) == "variant")) {
      throw std::runtime_error(fmt::format("{}: record {}: {} '{}' is not a count", path_, record, name, printable(v)));
    }
    return std::stoul(v);
  };
  for (std::size_t r = 1; r < recs.size(); ++r) {
    const auto& rec = recs[r];
    if (rec.size() != h.size()) {
      throw std::runtime_error(fmt::format("{}: record {} has {} fields, expected {} (its last, column {}, is '{}'{})", path_, r + 1, rec.size(),
                                           h.size(), rec.size(), printable(rec.back()),
                                           rec.size() < h.size() ? fmt::format("; column {} should be '{}'", rec.size() + 1, h[rec.size()])
                                                                 : std::string()));
    }
    const std::string& key = rec[h.size() - 2];
    auto it = at.find(key);
    if (it == at.end()) {
      Outcome o;
      o.values.assign(rec.begin(), rec.begin() + static_cast<std::ptrdiff_t>(n_axes));
      o.index = count_field(rec[n_axes], "variant", r + 1) - 1;
      o.key = key;
      const std::string& st = rec[h.size() - 4];
      if (st != "ok" && st != "infeasible" && st != "failed") {
        throw std::runtime_error(fmt::format("{}: record {}, column {} (variant_status): value '{}': expected 'ok', 'infeasible' or 'failed'", path_,
                                             r + 1, h.size() - 3, printable(st)));
      }
      o.status = status_from(st);
      o.error = rec[h.size() - 3];
      declared.push_back(count_field(rec[h.size() - 1], "variant_rows", r + 1));
      o.resumed = true;
      at[key] = out.size();
      out.push_back(std::move(o));
      it = at.find(key);
    }
    out[it->second].rows.emplace_back(rec.begin() + static_cast<std::ptrdiff_t>(first_report),
                                      rec.begin() + static_cast<std::ptrdiff_t>(first_report + n_report));
  }
  // A variant whose rows are not all there (a file cut or edited by hand: hwplan itself only
  // ever writes whole variants) is not kept: it runs again.
  std::vector<Outcome> kept;
  for (std::size_t k = 0; k < out.size(); ++k) {
    auto& o = out[k];
    if (o.rows.size() != declared[k]) {
      incomplete_.push_back(Incomplete{o.index, o.rows.size(), declared[k], {}});
      continue;
    }
    o.answer = answer_from_rows(report_header_, o.rows, o.status);
    texts_[o.index] = outcome_text(o);
    outcomes_[o.index] = o;
    kept.push_back(std::move(o));
  }
  on_disk_ = kept.size();
  return kept;
}

}  // namespace hw::sweep
