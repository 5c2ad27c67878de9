// The result file of a sweep and what one variant produced.
//
// CSV (default): one row per variant x candidate: the axis values (one column per axis
// path, as written), `variant` (1-based, expansion order), then exactly the columns of
// `hwplan recommend`'s CSV (or `hwplan run`'s for `run: run`), then `variant_status` (ok,
// infeasible: nothing feasible, failed: the variant could not be evaluated),
// `variant_error` (why, for infeasible and failed), `variant_key` (the hash of the
// resolved variant, which --resume matches) and `variant_rows` (how many rows the variant
// has, so that --resume can tell a whole variant from a cut one). A failed variant is one row whose candidate
// columns are empty but `reason`.
// JSON: {"schema": "hwplan-sweep", "version": 1, sweep, sweep_file, scenario, run, axes,
// variants: [{variant, key, values: {path: value}, status, error, answer, report}], boundary}
// where report is the `hwplan recommend` (or `hwplan run`) JSON document of the variant,
// without any run's engine `wall_time_s` (nor recommend's `stats`): the file does not
// depend on --jobs, MPI or the machine.
//
// The file is rewritten whole, in variant order, after every finished variant: written to
// a temporary file, flushed to disk, and renamed over the old one, so that a reader, or a
// sweep killed at any moment, only ever sees complete rows.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hw::sweep {

enum class Status { ok, infeasible, failed };
std::string to_string(Status s);

struct Outcome {
  std::size_t index = 0;               // 0-based
  std::vector<std::string> values;     // one per axis
  std::string key;
  Status status = Status::ok;
  std::string error;
  std::vector<std::vector<std::string>> rows;  // the report's CSV rows (recommend's or run's columns)
  std::string answer;                  // recommend: "family hardware" of the winner, "none", or "failed"
  nlohmann::json report;               // the report's JSON document (JSON output only)
  std::size_t simulations = 0;         // simulated for this variant (not from the cache)
  std::size_t cache_hits = 0;
  bool resumed = false;                // read back from the file, not computed now
};

// The words of an answer: "gpu l4x4-server", "hybrid jetson-orin-nx-16gb+l4x4-server", and for
// the train-infer-iterate loop "loop edge jetson-orin-nano-super", as recommend labels it.
// family and hybrid_kind as in the CSV (family_json, hybrid_kind).
std::string answer_words(const std::string& family, const std::string& hybrid_kind, const std::string& hardware);
// An answer as printed: "none" (the token in the data) reads "nothing feasible".
std::string shown_answer(const std::string& answer);
// The answer of a recommend variant from its CSV rows (the row with recommended = true).
std::string answer_from_rows(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                             Status status);

// The candidates (as answer_words names them) that a variant's rows reject because the
// simulation completed too few requests to certify the SLO ("not enough requests to certify",
// sim/plan/explain.cpp): a decision taken on them is a sampling artefact of a short duration.
std::vector<std::string> rejected_for_too_few_requests(const std::vector<std::string>& header,
                                                       const std::vector<std::vector<std::string>>& rows);

enum class Format { csv, json };

class ResultFile {
 public:
  // report_header: the report's CSV columns; meta: the JSON document's leading fields.
  ResultFile(std::string path, Format format, std::vector<std::string> axis_paths, std::vector<std::string> report_header,
             nlohmann::json meta);
  // Writes what is pending (background writes), then stops the writer thread.
  ~ResultFile();
  ResultFile(const ResultFile&) = delete;
  ResultFile& operator=(const ResultFile&) = delete;

  // --resume: the outcomes already in the file (marked resumed), and keeps them for the
  // next write. Throws std::runtime_error when the file is not a result file of this sweep.
  // An empty file holds none. A CSV variant with fewer rows than its variant_rows says (a
  // file cut or edited by hand) is left out, to run again, and listed in incomplete().
  std::vector<Outcome> load_existing();
  struct Incomplete {
    std::size_t index;     // 0-based
    std::size_t rows;      // found
    std::size_t expected;  // its variant_rows
    std::string why;       // JSON: why it is not kept ("is given twice"); empty: rows missing
  };
  [[nodiscard]] const std::vector<Incomplete>& incomplete() const { return incomplete_; }
  // A CSV file that ends inside its last record (cut mid-line: hwplan ends every line it
  // writes): that record is left out; `record` is its number (the header is record 1) and
  // `variant` its 1-based variant number where that field is whole (0 if not).
  struct Torn {
    std::size_t record;
    std::size_t variant;
  };
  [[nodiscard]] const std::optional<Torn>& torn() const { return torn_; }
  // --resume of a changed sweep (an axis refined, a boundary map with other steps): gives the
  // kept outcome of variant `key` the number `index` and the axis values this sweep writes for
  // it; an outcome holding that number moves to the first free one after the last. True when
  // anything changed (then write() the file). Nothing kept is dropped.
  bool place(const std::string& key, std::size_t index, const std::vector<std::string>& values);
  // Adds an outcome (a failed one without rows gets its one row) and rewrites the file. A kept
  // outcome of another variant that holds its number moves, as for place().
  void add(Outcome o);
  // JSON only: an extra top-level field (the boundary found).
  void set_field(const std::string& name, nlohmann::json value);
  // Rewrites the file now (after any background write), and returns once it is on disk.
  void write();
  // From now on add() leaves the rewrite to a writer thread, which starts it as soon as it is
  // free (outcomes added meanwhile go into that one rewrite): the threads that add never wait
  // for the disk, and each rewrite is still a complete file renamed into place. flush() returns
  // once the file holds every outcome added; a background write that failed is thrown
  // (FileWriteError) from the next add(), write() or flush().
  // A burst is written at most every kRewriteEvery: a sweep of many short variants does not
  // spend its time rewriting its file; a SIGKILL loses at most that much finished work (not
  // in the file: --resume runs it again), never a row half-written.
  static constexpr std::chrono::milliseconds kRewriteEvery{100};
  void write_in_background();
  void flush();

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::size_t variants() const {
    std::lock_guard<std::mutex> lock(mu_);
    return outcomes_.size();
  }
  [[nodiscard]] std::vector<std::string> header() const;  // the CSV header
  [[nodiscard]] std::string text() const;                 // what write() writes (not while writing in the background)

 private:
  std::string path_;
  Format format_;
  std::vector<std::string> axes_;
  std::vector<std::string> report_header_;
  nlohmann::json meta_;
  std::vector<Incomplete> incomplete_;
  std::optional<Torn> torn_;
  std::map<std::size_t, Outcome> outcomes_;  // by index
  std::map<std::size_t, std::string> texts_;  // each outcome's serialised part, made once (rewrites stay cheap)
  // Background writes: mu_ guards outcomes_, texts_ and meta_ against the writer thread,
  // which writes generation `added_` (bumped by every change) and records it in `written_`.
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::thread writer_;
  bool stop_ = false;
  int waiting_ = 0;  // callers of flush() or write() waiting for the disk: write at once
  std::uint64_t added_ = 0, written_ = 0;
  std::size_t on_disk_ = 0;  // complete variants in the file as last written (or read by --resume)
  void write_counted(const std::string& content, std::size_t on_disk) const;
  std::exception_ptr write_error_;
  void writer_loop();
  void throw_write_error(std::unique_lock<std::mutex>& lock);
  [[nodiscard]] std::string outcome_text(const Outcome& o) const;
  void make_room(std::size_t index, const std::string& key);
  void renumber(std::size_t from, std::size_t to, const std::vector<std::string>& values);
};

// RFC 4180 records (quoted fields, doubled quotes, CRLF or LF line ends). Throws
// std::runtime_error on an unterminated quote.
std::vector<std::vector<std::string>> parse_csv(const std::string& text);

// Writes `content` to PATH.tmp.<pid>.<n>, flushes it to disk and renames it over PATH
// (write_file_atomic, durable): a failure removes the temporary file and throws
// FileWriteError naming PATH.
void write_durably(const std::string& path, const std::string& content);

// An exclusive advisory lock (flock) on a sweep's result file, held for the sweep's
// lifetime: the lock file .NAME.lock beside PATH holds the owner's pid. A second sweep on
// the same file is refused at once (UsageError: "PATH is being written by another hwplan
// sweep (pid N); wait for it or choose another --out"). The lock file is removed when the
// lock is released; one left by a process that died holds no lock (the kernel drops a dead
// process's flock) and is taken over.
class OutputLock {
 public:
  explicit OutputLock(const std::string& path);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;
  [[nodiscard]] const std::string& lock_path() const { return lock_path_; }

 private:
  std::string lock_path_;
  int fd_ = -1;
};

}  // namespace hw::sweep
