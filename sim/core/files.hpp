// Whole-file reads and atomic whole-file writes.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace hw {

// A file that could not be written for a reason of the system's (a full disk, a read-only
// or vanished folder): "cannot write PATH: REASON". The CLI reports it as the user's to fix
// (exit 2), not as an internal error.
class FileWriteError : public std::runtime_error {
 public:
  FileWriteError(std::string path, std::string reason);
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& reason() const { return reason_; }

 private:
  std::string path_, reason_;
};

// Writes to PATH.tmp.<pid>.<n> (unique per call) then renames over PATH, so readers never
// see half a file, even when several threads write the same path at once. durable: the
// data reaches the disk (fdatasync) before the rename. On any failure the temporary file is
// removed, PATH keeps its old content, and FileWriteError names PATH and the reason.
// A PATH that exists (a regular file) is replaced by a file with its permission bits (a 0640
// report stays 0640; setuid, setgid and sticky bits are not kept) and, where the process may
// (root; or a group the user is in), its owner and group; when its group cannot be kept the
// group's bits are dropped. A new PATH is created 0644 less the umask.
void write_file_atomic(const std::string& path, const std::string& content, bool durable = false);

// Where an output goes, checked before any work is done (so that a long run never ends in
// "cannot write"). A regular file is written atomically (a new file renamed over it). A
// symlink is followed: its target is written, the link stays. "-" is standard output.
// /dev/null is written in place (discarded). Anything else that is not a regular file (a
// FIFO, a device such as /dev/full or /dev/stdout, a socket) is refused: renaming a file
// over it would replace the node, and writing it in place could fail after all the work.
struct OutputTarget {
  std::string path;       // as the user gave it
  std::string resolved;   // the file actually written (symlinks followed)
  bool in_place = false;  // /dev/null: opened and written, not replaced
  bool to_stdout = false; // "-"
};
// Whether the caller takes "-" (standard output): the messages offer only what it takes.
enum class OutputKinds { file_or_stdout, file_only };
// Throws std::runtime_error naming the path and the problem when it is a directory or not a
// regular file (see above), when its folder cannot be created or written, or when it is the
// same file as one of `inputs` (writing it would destroy an input).
OutputTarget check_output(const std::string& path, const std::vector<std::string>& inputs,
                          OutputKinds kinds = OutputKinds::file_or_stdout);
// Writes `content` to a checked target: atomically for a regular file, in place for
// /dev/null, to standard output for "-". Throws std::runtime_error naming the path and the system's reason.
void write_output(const OutputTarget& target, const std::string& content);

// Flushes standard output and says whether everything written to it went out. When not
// (a pipe whose reader has gone, /dev/full, a closed descriptor): `reason` is the system's
// reason (`known`, an errno the caller already has, else what the stream or the descriptor
// says), the bytes still buffered are discarded and the stream's error is cleared, so that
// a later flush neither fails again nor says it again.
bool flush_stdout(std::string& reason, int known = 0);

// Why `path` is not a file a program with a window may open and read whole on its thread
// ("" when it is a regular file of at most `max_bytes`): "does not exist", "is a directory",
// "is a FIFO (named pipe), not a regular file" (opening one blocks until a writer comes),
// "is a character device, not a regular file" (/dev/zero reads without end), "has N bytes,
// above the limit of M". Symlinks are followed. The words of check_output's refusals.
std::string regular_input_problem(const std::string& path, std::uint64_t max_bytes);

// The whole file as bytes; throws std::runtime_error naming the file when it cannot be read.
std::string read_file(const std::string& path);

}  // namespace hw
