// The bridge between the window and the planner: hw::make_plan runs on one long-lived
// worker thread (the window never waits for it), its simulations go to `hwplan simulate
// --serve` children through a ProcessRunner wrapped in a CachingRunner, and progress,
// results and errors come back as queued signals.
//
// One thread for the app's lifetime, never one per run: the runner's children are started
// with PR_SET_PDEATHSIG, which fires when the *thread* that forked them exits, so a
// short-lived thread would kill the servers it leaves behind for the next run.
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThread>
#include <memory>
#include <mutex>
#include <vector>

#include "gui/plan_data.hpp"
#include "sim/io/loaders.hpp"
#include "sim/plan/planner.hpp"

namespace hw {
class ProcessRunner;
class ResultCache;
class CachingRunner;
}  // namespace hw

namespace hwgui {

struct PlanRequest {
  hw::Scenario scenario;
  std::shared_ptr<const hw::Catalogue> catalogue;
  bool sensitivity = true;
  // Loads (multipliers other than 1) at which to plan the scenario again after the plan, for
  // the sensitivity view's load curve; empty: none. The plan's result comes first
  // (finished), the curve after it (loadCurveFinished).
  std::vector<double> loadCurve;
  // The load curve alone, of this plan already made (shown): no plan and no finished(), only
  // the curve (loadCurveFinished, or loadCurveCancelled with the loads done). `scenario` is
  // then curveOf->scenario. Resumes a cancelled curve: the loads it had done are in the cache.
  PlanOutcomePtr curveOf;
};

// The loads of the default load curve: x0.5 to x2, evenly on a log scale (x1 is the plan).
std::vector<double> defaultLoadCurve(int points = 5);

// PlanProgress with the clock: what the progress bar shows.
struct PlanStatus {
  hw::PlanProgress progress;
  double elapsedSeconds = 0;     // since the plan started
  double roundEtaSeconds = -1;   // left in this round's batch, from its pace so far (< 0: unknown)
};

// Seconds left in a round's batch `inRoundSeconds` after it started, from the running
// simulations' own pace (PlanProgress::progress: the share of its simulated time each has
// done), not from the probes already done (those from the cache finish at once, so a round
// of two cached probes and one 2-minute simulation at 0% read "0.2 s left"). Each running
// simulation takes inRound / its fraction; the queued ones as long as the running ones' mean,
// `running` at a time. < 0 (unknown: "estimating") while nothing runs or one is under 2%.
double roundEtaSeconds(const hw::PlanProgress& p, double inRoundSeconds);

struct RunnerOptions {
  QString simulator;  // the hwplan binary (simulatorPath())
  QString cacheDir;   // "" = the CLI's cache (hw::default_cache_dir())
  int parallel = 0;   // simulations at a time; 0 = all cores
  // Niceness added to the simulator children (they inherit it from the planner thread
  // that starts them): on a machine whose cores they fill, the window's thread, at the
  // desktop's niceness, is scheduled first. 0 leaves them at the app's.
  int childNice = 5;
};

namespace detail {

// Lives in the worker thread; owns the runners (re-made after a cancel, which is sticky).
class PlanWorker : public QObject {
  Q_OBJECT
 public:
  explicit PlanWorker(RunnerOptions o);
  ~PlanWorker() override;
  // Any thread: cancels every plan up to `id` (a running one within a second).
  void cancelUpTo(quint64 id);
  // Worker thread.
  void plan(quint64 id, const std::shared_ptr<const PlanRequest>& request);

 Q_SIGNALS:
  void progress(quint64 id, const hwgui::PlanStatus& status);
  void finished(quint64 id, const hwgui::PlanOutcomePtr& outcome);
  void loadCurveFinished(quint64 id, const hwgui::PlanOutcomePtr& outcome);
  // partialCurve: the outcome with the loads of its curve done before the cancel (the curve
  // marked cancelled); null when the plan itself was cancelled.
  void cancelled(quint64 id, qulonglong simulationsKept, const hwgui::PlanOutcomePtr& partialCurve);
  void failed(quint64 id, const QString& message);

 private:
  RunnerOptions o_;
  std::mutex mutex_;          // guards cancelUpTo_, running_ and process_ against cancelUpTo()
  quint64 cancelUpTo_ = 0;
  quint64 running_ = 0;
  std::unique_ptr<hw::ResultCache> cache_;
  bool niced_ = false;  // this thread's niceness lowered (once, before the first child)
  std::unique_ptr<hw::ProcessRunner> process_;
  std::unique_ptr<hw::CachingRunner> caching_;
};

}  // namespace detail

class PlanBridge : public QObject {
  Q_OBJECT
 public:
  explicit PlanBridge(RunnerOptions o, QObject* parent = nullptr);
  ~PlanBridge() override;  // cancels, stops the worker thread and waits for it
  PlanBridge(const PlanBridge&) = delete;
  PlanBridge& operator=(const PlanBridge&) = delete;

  // Starts planning; returns at once. A plan still running is cancelled first.
  void start(PlanRequest request);
  // Stops the running plan: its children are killed at once, and cancelled() follows.
  void cancel();
  [[nodiscard]] bool busy() const { return running_ != 0; }
  // The plan's result has come and its load curve is being planned.
  [[nodiscard]] bool planningLoadCurve() const { return running_ != 0 && curvePending_; }
  [[nodiscard]] const RunnerOptions& options() const { return o_; }

 Q_SIGNALS:
  void progress(const hwgui::PlanStatus& status);
  void finished(const hwgui::PlanOutcomePtr& outcome);
  // The outcome again, with its load curve (when the request asked for one). busy() stays
  // true between finished() and this; a cancel or failure in between ends the curve only.
  void loadCurveFinished(const hwgui::PlanOutcomePtr& outcome);
  // The load curve was cancelled: the outcome again, its curve holding the loads planned by
  // then (LoadCurve::cancelled). Comes just before cancelled().
  void loadCurveCancelled(const hwgui::PlanOutcomePtr& partial);
  // simulationsKept: simulations that finished before the cancel (in the cache).
  void cancelled(qulonglong simulationsKept);
  void failed(const QString& message);

 private:
  RunnerOptions o_;
  QThread thread_;
  detail::PlanWorker* worker_;  // owned by thread_ (deleted when it finishes)
  quint64 next_ = 0;
  quint64 running_ = 0;         // id of the plan in flight, 0 = none
  bool curvePending_ = false;   // its result came, its load curve not yet
};

}  // namespace hwgui

Q_DECLARE_METATYPE(hwgui::PlanStatus)
