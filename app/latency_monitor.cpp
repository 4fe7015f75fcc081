#include "app/latency_monitor.h"

#include <algorithm>

namespace studio {

LatencyMonitor::LatencyMonitor(QObject* parent, int intervalMs) : QObject(parent) {
  timer_.setInterval(intervalMs);
  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, [this] {
    const qint64 now = clock_.nsecsElapsed();
    const qint64 gap = now - last_;
    last_ = now;
    maxGap_ = std::max(maxGap_, gap);
    total_ += gap;
    ++ticks_;
  });
}

void LatencyMonitor::start() {
  maxGap_ = total_ = 0;
  ticks_ = 0;
  clock_.start();
  last_ = 0;
  timer_.start();
}

void LatencyMonitor::stop() { timer_.stop(); }

}  // namespace studio
