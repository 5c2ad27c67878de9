// Error messages are safe to print: bytes that are not text come out escaped.
#include <doctest/doctest.h>

#include <string>

#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/run/types.hpp"

using namespace hw;

TEST_CASE("errors: control bytes and bytes that are not UTF-8 in a bad value are escaped, long values cut") {
  const InputError e(Location{"t.csv", 3, 1}, "time", std::string("12\x1b[31m\xff\xfe", 9), "expected a number");
  const std::string m = e.what();
  CHECK(m == "t.csv:3:1: key 'time', value '12\\x1b[31m\\xff\\xfe': expected a number");
  CHECK(std::string(InputError(Location{"f", 1, 1}, "k", "caf\xc3\xa9", "x").what()).find("caf\xc3\xa9") != std::string::npos);
  const InputError longer(Location{"f", 1, 1}, "k", std::string(500, 'a'), "x");
  CHECK(std::string(longer.what()).size() < 200);
}

TEST_CASE("errors: the file, the key path and the problem are escaped and bounded too, on one line") {
  // Review 18: only the value was escaped; a unit or key with ESC cleared the terminal.
  const InputError e(Location{"a\x1b]0;t\x07.yaml", 2, 3}, "x\x1b[31m", "v\nw", "unknown unit '\x1b[2J' in\r\n'40'");
  CHECK(std::string(e.what()) ==
        "a\\x1b]0;t\\x07.yaml:2:3: key 'x\\x1b[31m', value 'v\\x0aw': unknown unit '\\x1b[2J' in\\x0d\\x0a'40'");
  CHECK(e.key() == "x\x1b[31m");  // the parts as given
  // A problem that repeats megabytes of user text is cut; so is a long key path.
  const InputError big(Location{"f", 1, 1}, std::string(100000, 'k'), "", "unknown site '" + std::string(3000000, 'p') + "'");
  const std::string m = big.what();
  CHECK(m.size() < 1300);
  CHECK(m.find("k...': unknown site 'ppp") != std::string::npos);
  CHECK(m.ends_with("ppp..."));
}

TEST_CASE("errors: printable escapes control and invisible characters and cuts with an ellipsis") {
  CHECK(printable("a\tb\nc\x7f") == "a\\x09b\\x0ac\\x7f");
  CHECK(printable("caf\xc3\xa9 40 \xc2\xb5s") == "caf\xc3\xa9 40 \xc2\xb5s");  // UTF-8 text as it is
  CHECK(printable("pl\xe2\x80\xae" "ant") == "pl\\u202Eant");                     // right-to-left override
  CHECK(printable("\xef\xbb\xbfname") == "\\uFEFFname");                        // a byte-order mark
  CHECK(printable("\xc2\x9b" "31m") == "\\u009B31m");                           // C1 CSI
  CHECK(printable("\xc0\x9b") == "\\xc0\\x9b");                                // overlong ESC: not UTF-8
  CHECK(printable(std::string(10, 'a'), 4) == "aaaa...");
  CHECK(printable(std::string(4, 'a'), 4) == "aaaa");
  const std::string once = printable("x\x1b[1m\xff\xe2\x80\x8b");
  CHECK(printable(once) == once);  // escaped text comes through unchanged
}

TEST_CASE("text: a word that begins several ids suggests all of them") {
  CHECK(did_you_mean("nvidia-h100", {"nvidia-l40s", "nvidia-h100-sxm", "nvidia-h100-pcie", "nvidia-h200-sxm"}) ==
        std::string("nvidia-h100-pcie' or 'nvidia-h100-sxm"));
  CHECK(did_you_mean("recomend", {"run", "recommend", "validate"}) == std::string("recommend"));
  CHECK_FALSE(did_you_mean("zzz", {"run", "recommend"}));
}

TEST_CASE("text: a word equal to an id but for case suggests that id, not a longer one it begins") {
  // "NVIDIA-L4" begins nvidia-l40s too, but it is nvidia-l4 in other case (a review saw nvidia-l40s).
  CHECK(did_you_mean("NVIDIA-L4", {"nvidia-l40s", "nvidia-l4", "nvidia-a100"}) == std::string("nvidia-l4"));
  CHECK(did_you_mean("ResNet50", {"resnet50-reid", "resnet50", "bert-large"}) == std::string("resnet50"));
}

TEST_CASE("sig3: three significant digits for people, no exponent form from 1000 up") {
  CHECK(hw::sig3(40.94) == "40.9");
  CHECK(hw::sig3(0.2823) == "0.282");
  CHECK(hw::sig3(2000) == "2000");     // was "2e+03" in 'against a 2e+03 ms target'
  CHECK(hw::sig3(6157.4) == "6157");   // was "6.16e+03" in the candidates table
  CHECK(hw::sig3(-1234.6) == "-1235");
  CHECK(hw::sig3(999.4) == "999");
}

TEST_CASE("sig_beside: a figure next to its target never rounds onto it or past it") {
  CHECK(sig_beside(39.96, 40, 3) == "39.96");    // sig3: "40", read as meeting a 40 ms SLO exactly
  CHECK(sig_beside(40.004, 40, 3) == "40.004");  // just over: not "40"
  CHECK(sig_beside(119.584, 120, 4) == "119.6");  // four figures are enough
  CHECK(sig_beside(119.996, 120, 4) == "119.996");
  CHECK(sig_beside(15.9, 40, 3) == "15.9");  // far from it: as sig
  CHECK(sig_beside(40, 40, 3) == "40");      // exactly on it
  CHECK(sig_beside(39.96, 0, 3) == "40");    // no bound
}

TEST_CASE("sig and format_count: no exponent form for people") {
  CHECK(hw::sig3(999.96) == "1000");           // "{:.3g}" rounds it to "1e+03"
  CHECK(hw::sig(138000, 4) == "138000");       // models list weights_mb read "1.38e+05"
  CHECK(hw::sig(989.46, 4) == "989.5");
  CHECK(hw::sig(12040, 4) == "12040");         // "{:.4g}" gives "1.204e+04"
  CHECK(hw::format_count(6.9e10) == "69 billion");  // "6.9e+10 samples"
  CHECK(hw::format_count(1.38e6) == "1.38 million");
  CHECK(hw::format_count(1.2e12) == "1.2 trillion");
  CHECK(hw::format_count(12345) == "12345");
}

TEST_CASE("event budget: the message names --max-events, not the engine's field") {
  const std::string e = std::string(hw::kEventBudgetExceeded) +
                        ": 1000 requests created by 8.328 s simulated of a 40 s run (EngineOptions.event_budget = 1000); shorten the "
                        "duration, lower the load or raise the budget";
  const std::string p = hw::event_budget_for_people(e);
  CHECK(p.find("EngineOptions") == std::string::npos);
  CHECK(p.find("(--max-events 1000)") != std::string::npos);
  CHECK(p.find("raise it with --max-events N (0 for none)") != std::string::npos);
  CHECK(hw::event_budget_for_people("other error") == "other error");
}
