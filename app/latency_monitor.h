// Measures how responsive the UI thread is: a timer ticks every `interval` ms on the event loop and the
// largest gap between two ticks is recorded (a blocked UI shows as a large gap).
#pragma once
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace studio {

class LatencyMonitor : public QObject {
  Q_OBJECT
public:
  explicit LatencyMonitor(QObject* parent = nullptr, int intervalMs = 10);
  void start();
  void stop();
  bool isRunning() const { return timer_.isActive(); }
  double maxGapMs() const { return maxGap_ / 1e6; }       // the largest gap between ticks
  double meanGapMs() const { return ticks_ > 0 ? total_ / 1e6 / ticks_ : 0; }
  int ticks() const { return ticks_; }
  int intervalMs() const { return timer_.interval(); }

private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = 0, maxGap_ = 0, total_ = 0;
  int ticks_ = 0;
};

}  // namespace studio
