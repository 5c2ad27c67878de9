#include "gui/plan_bridge.hpp"

#include <fmt/format.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>

#include "sim/core/errors.hpp"
#include "sim/run/cache.hpp"
#include "sim/run/runner.hpp"

namespace hwgui {

std::vector<double> defaultLoadCurve(int points) {
  std::vector<double> loads;
  for (int i = 0; i < points; ++i) {
    const double load = points == 1 ? 1.0 : std::pow(2.0, -1.0 + 2.0 * i / (points - 1));
    if (std::abs(load - 1.0) > 1e-9) loads.push_back(load);
  }
  return loads;
}

double roundEtaSeconds(const hw::PlanProgress& p, double inRoundSeconds) {
  if (p.sims_done >= p.sims_total || p.progress.empty()) return -1;
  double longest = 0, sum = 0;
  for (const double f : p.progress) {
    if (!(f >= 0.02)) return -1;  // too early to tell its pace
    const double total = inRoundSeconds / std::min(f, 1.0);
    longest = std::max(longest, total - inRoundSeconds);
    sum += total;
  }
  const double running = static_cast<double>(p.progress.size());
  const std::size_t started = p.sims_done + p.progress.size();
  const double queued = started < p.sims_total ? static_cast<double>(p.sims_total - started) : 0;
  return longest + std::ceil(queued / running) * (sum / running);
}

namespace detail {

PlanWorker::PlanWorker(RunnerOptions o) : o_(std::move(o)) {}

PlanWorker::~PlanWorker() {
  // Kills and reaps the servers (in the worker thread, when it finishes).
  caching_.reset();
  process_.reset();
}

void PlanWorker::cancelUpTo(quint64 id) {
  const std::lock_guard<std::mutex> lock(mutex_);
  cancelUpTo_ = std::max(cancelUpTo_, id);
  if (running_ != 0 && running_ <= id && process_) process_->cancel();
}

void PlanWorker::plan(quint64 id, const std::shared_ptr<const PlanRequest>& request) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (id <= cancelUpTo_) {
      Q_EMIT cancelled(id, 0, nullptr);
      return;
    }
  }
  if (!niced_) {
    // Linux: PRIO_PROCESS with a thread id sets that thread's niceness, and vfork() copies
    // the calling thread's. Raising it needs no privilege; a failure only leaves it as is.
    niced_ = true;
    if (o_.childNice > 0) {
      errno = 0;
      const int now = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
      if (errno == 0) ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), std::min(19, now + o_.childNice));
    }
  }
  try {
    // The cache is keyed by the simulating binary's build id (asked once: it starts a process).
    if (!cache_) {
      const hw::ProcessRunner probe(o_.simulator.toStdString());
      cache_ = std::make_unique<hw::ResultCache>(o_.cacheDir.toStdString(), probe.build_id());
    }
    // A cancelled runner stays cancelled: make a fresh one (outside the lock; the old one's
    // children are already gone).
    std::unique_ptr<hw::ProcessRunner> fresh;
    if (!process_ || process_->cancelled()) {
      fresh = std::make_unique<hw::ProcessRunner>(o_.simulator.toStdString(), o_.parallel);
      fresh->share_startup();  // one engine start-up for every slot (sim/run/runner.hpp)
    }
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (id <= cancelUpTo_) {
        Q_EMIT cancelled(id, 0, nullptr);
        return;
      }
      if (fresh) {
        caching_.reset();
        process_ = std::move(fresh);
        caching_ = std::make_unique<hw::CachingRunner>(*process_, *cache_);
      }
      running_ = id;
    }
    struct Round {
      std::string phase;
      int round = -1;
      Clock::time_point start;
    } round;
    auto lastEmit = Clock::time_point{};
    hw::PlanOptions po;
    po.sensitivity = request->sensitivity;
    po.progress = [&](const hw::PlanProgress& p) {
      const auto now = Clock::now();
      const bool newRound = p.round != round.round || p.phase != round.phase;
      if (newRound) round = Round{p.phase, p.round, now};
      // At most ~25 updates a second reach the window, but every round's start and end do.
      const bool last = p.sims_done == p.sims_total;
      if (!newRound && !last && now - lastEmit < std::chrono::milliseconds(40)) return;
      lastEmit = now;
      PlanStatus st;
      st.progress = p;
      st.elapsedSeconds = std::chrono::duration<double>(now - t0).count();
      const double inRound = std::chrono::duration<double>(now - round.start).count();
      st.roundEtaSeconds = hwgui::roundEtaSeconds(p, inRound);
      Q_EMIT progress(id, st);
    };
    PlanOutcomePtr out = request->curveOf;
    if (!out) {
      hw::Plan plan = hw::make_plan(request->scenario, *request->catalogue, *caching_, po);
      if (plan.cancelled) {
        {
          const std::lock_guard<std::mutex> lock(mutex_);
          running_ = 0;
        }
        Q_EMIT cancelled(id, plan.simulations, nullptr);
        return;
      }
      auto made = std::make_shared<PlanOutcome>();
      made->scenario = request->scenario;
      made->plan = std::move(plan);
      made->wallSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
      out = made;
      Q_EMIT finished(id, out);
    }
    if (!request->loadCurve.empty()) {
      // The same scenario at other loads, planned like any scenario (hw::scale_load, then
      // hw::make_plan without its own sensitivity analysis): each family's best TCO there.
      auto curve = std::make_shared<LoadCurve>();
      std::vector<double> loads = request->loadCurve;
      loads.push_back(1.0);
      std::sort(loads.begin(), loads.end());
      loads.erase(std::unique(loads.begin(), loads.end()), loads.end());
      curve->loads = loads;
      std::size_t simulations = 0;
      std::size_t k = 0;
      for (double load : loads) {
        LoadPoint pt;
        pt.load = load;
        if (load == 1.0) {
          pt.best = familyBests(out->plan);
        } else {
          ++k;
          hw::PlanOptions lo = po;
          lo.sensitivity = false;
          // "load curve: load 3 of 4, x1.41": the load's place apart from the probes' counts.
          lo.progress = [&, load, k, n = loads.size() - 1](const hw::PlanProgress& p) {
            hw::PlanProgress q = p;
            q.phase = fmt::format("load curve: load {} of {}, x{:.3g}: {}", k, n, load, p.phase);
            po.progress(q);
          };
          const hw::Plan at = hw::make_plan(hw::scale_load(out->scenario, load), *request->catalogue, *caching_, lo);
          simulations += at.simulations;
          if (at.cancelled) {
            // The loads done are kept: drawn as far as they go, and in the cache for a resume.
            curve->cancelled = true;
            auto partial = std::make_shared<PlanOutcome>(*out);
            partial->loadCurve = std::move(curve);
            {
              const std::lock_guard<std::mutex> lock(mutex_);
              running_ = 0;
            }
            Q_EMIT cancelled(id, simulations, partial);
            return;
          }
          pt.best = familyBests(at);
        }
        curve->points.push_back(std::move(pt));
      }
      auto withCurve = std::make_shared<PlanOutcome>(*out);
      withCurve->loadCurve = std::move(curve);
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        running_ = 0;
      }
      Q_EMIT loadCurveFinished(id, withCurve);
      return;
    }
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      running_ = 0;
    }
    return;
  } catch (const hw::SimulationFailed& e) {
    Q_EMIT failed(id, QStringLiteral("A simulation of '%1' failed: %2").arg(QString::fromStdString(e.candidate()), QString::fromStdString(e.cause())));
  } catch (const std::exception& e) {
    Q_EMIT failed(id, QString::fromStdString(e.what()));
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  running_ = 0;
}

}  // namespace detail

PlanBridge::PlanBridge(RunnerOptions o, QObject* parent) : QObject(parent), o_(std::move(o)), worker_(new detail::PlanWorker(o_)) {
  qRegisterMetaType<hwgui::PlanStatus>();
  qRegisterMetaType<hwgui::PlanOutcomePtr>();
  thread_.setObjectName(QStringLiteral("hwplan planner"));
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(worker_, &detail::PlanWorker::progress, this, [this](quint64 id, const PlanStatus& s) {
    if (id == running_) Q_EMIT progress(s);
  });
  connect(worker_, &detail::PlanWorker::finished, this, [this](quint64 id, const PlanOutcomePtr& out) {
    if (id != running_) return;
    if (!curvePending_) running_ = 0;
    Q_EMIT finished(out);
  });
  connect(worker_, &detail::PlanWorker::loadCurveFinished, this, [this](quint64 id, const PlanOutcomePtr& out) {
    if (id != running_) return;
    running_ = 0;
    curvePending_ = false;
    Q_EMIT loadCurveFinished(out);
  });
  connect(worker_, &detail::PlanWorker::cancelled, this, [this](quint64 id, qulonglong kept, const PlanOutcomePtr& partial) {
    if (id != running_) return;
    running_ = 0;
    curvePending_ = false;
    if (partial) Q_EMIT loadCurveCancelled(partial);
    Q_EMIT cancelled(kept);
  });
  connect(worker_, &detail::PlanWorker::failed, this, [this](quint64 id, const QString& message) {
    if (id != running_) return;
    running_ = 0;
    curvePending_ = false;
    Q_EMIT failed(message);
  });
  thread_.start();
}

PlanBridge::~PlanBridge() {
  worker_->cancelUpTo(next_);
  thread_.quit();
  thread_.wait();
}

void PlanBridge::start(PlanRequest request) {
  if (running_ != 0) worker_->cancelUpTo(running_);
  running_ = ++next_;
  curvePending_ = !request.loadCurve.empty();
  auto req = std::make_shared<const PlanRequest>(std::move(request));
  detail::PlanWorker* w = worker_;
  const quint64 id = running_;
  QMetaObject::invokeMethod(w, [w, id, req] { w->plan(id, req); }, Qt::QueuedConnection);
}

void PlanBridge::cancel() {
  if (running_ != 0) worker_->cancelUpTo(running_);
}

}  // namespace hwgui
