# A doctest case whose name holds ';' is never run by ctest: doctest_discover_tests reads the
# names as a CMake list, so the name splits into two tests that match no case, and each passes
# having run nothing (54 cases were skipped that way until 2026-12-03). This script, run as a
# test, lists every case of each binary given (BINARIES, separated by '|') and fails naming any
# such case.
string(REPLACE "|" ";" binaries "${BINARIES}")
set(bad "")
foreach(bin IN LISTS binaries)
  execute_process(COMMAND "${bin}" --list-test-cases OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${bin} --list-test-cases failed (${rc})")
  endif()
  # Lines with a ';' in them: before turning the output into a list, mark its line ends.
  string(REPLACE ";" "<SEMICOLON>" out "${out}")
  string(REPLACE "\n" ";" lines "${out}")
  foreach(line IN LISTS lines)
    if(line MATCHES "<SEMICOLON>")
      string(REPLACE "<SEMICOLON>" ";" line "${line}")
      string(APPEND bad "\n  ${bin}: ${line}")
    endif()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "test case names with ';' (ctest would run none of them; write '.' or ','):${bad}")
endif()
message(STATUS "no test case name holds ';' (${binaries})")
