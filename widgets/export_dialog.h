// Export a result: format (MP4, GIF, WebP, PNG sequence), frame rate, quality, loop / ping-pong and where to
// write it, with a progress bar while the export runs. The dialog only collects the settings and shows
// progress; the app runs the export on a worker thread (exportRequested / cancelRequested).
#pragma once
#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;

namespace studio {

struct ExportSettings {
  enum class Format { Mp4, Gif, WebP, PngSequence };
  Format format = Format::Mp4;
  double fps = 8;
  int quality = 80;     // 0..100 (MP4: CRF, WebP: quality); GIF and PNG are lossless / palette-based
  int loops = 0;        // GIF/WebP: 0 = forever, N = play N times; MP4/PNG: N > 1 repeats the clip
  bool pingpong = false;
  QString path;         // a file, or a folder for the PNG sequence

  static QString extension(Format f);  // ".mp4", ".gif", ".webp", "" (folder)
  static QString name(Format f);
};

class ExportDialog : public QDialog {
  Q_OBJECT
public:
  explicit ExportDialog(QWidget* parent = nullptr);

  void setSettings(const ExportSettings& s);
  ExportSettings settings() const;
  // A suggested output without extension, e.g. "/home/me/Videos/consisti2v_1234"; the format adds it.
  void setBaseName(const QString& pathWithoutExtension);

  // While the app exports.
  void setRunning(bool running);
  bool isRunning() const { return running_; }
  void setProgress(double fraction);
  void setFinished(const QString& message);  // success: the dialog stays open with the message
  void setFailed(const QString& message);
  // Clears the last export's outcome (its message and progress): the dialog opens for another clip.
  void clearOutcome();

Q_SIGNALS:
  void exportRequested(const studio::ExportSettings& settings);
  void cancelRequested();

public Q_SLOTS:
  // While exporting, closing asks to cancel the export instead.
  void reject() override;

private:
  void formatChanged();
  void browse();

  QComboBox* format_ = nullptr;
  QDoubleSpinBox* fps_ = nullptr;
  QSlider* quality_ = nullptr;
  QLabel* qualityLabel_ = nullptr;
  QSpinBox* loops_ = nullptr;
  QCheckBox* pingpong_ = nullptr;
  QLineEdit* path_ = nullptr;
  QPushButton* browse_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QPushButton* exportButton_ = nullptr;
  QPushButton* closeButton_ = nullptr;
  bool running_ = false;
  double fpsChosen_ = 8;  // the rate the user chose (a GIF holds it at 50 for a while)
  QString base_;
};

}  // namespace studio

Q_DECLARE_METATYPE(studio::ExportSettings)
