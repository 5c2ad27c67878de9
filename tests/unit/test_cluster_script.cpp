// tests/cluster/slurm_one_node.sh's own checks, which run before it needs root or Slurm.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

TEST_CASE("slurm_one_node.sh: an hwplan that does not exist is 'not found (build it first)', exit 2") {
  // Before: realpath of /nonexistent/dir/hwplan failed under set -e: exit 1 with realpath's message.
  const std::string cmd = "bash " HWPLAN_SOURCE_DIR "/tests/cluster/slurm_one_node.sh /nonexistent/dir/hwplan 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), p) != nullptr) out += buf.data();
  const int status = ::pclose(p);
  CAPTURE(out);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(out.find("slurm test: /nonexistent/dir/hwplan not found (build it first)") != std::string::npos);
}
