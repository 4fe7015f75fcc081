#include "app/model_download_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include "app/model_download.h"

namespace studio {

QString formatBytes(qint64 n) {
  if (n >= 1000000000) return QStringLiteral("%1 GB").arg(n / 1e9, 0, 'f', 2);
  if (n >= 1000000) return QStringLiteral("%1 MB").arg(n / 1e6, 0, 'f', 1);
  if (n >= 1000) return QStringLiteral("%1 kB").arg(n / 1e3, 0, 'f', 0);
  return QStringLiteral("%1 B").arg(n);
}

QString formatDuration(double seconds) {
  if (seconds < 0) return QStringLiteral("–");
  const qint64 t = static_cast<qint64>(seconds + 0.5);
  if (t >= 3600) return QStringLiteral("%1:%2:%3").arg(t / 3600).arg((t / 60) % 60, 2, 10, QLatin1Char('0')).arg(t % 60, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1:%2").arg(t / 60).arg(t % 60, 2, 10, QLatin1Char('0'));
}

ModelDownloadDialog::ModelDownloadDialog(QWidget* parent) : QDialog(parent), job_(new ModelDownload(this)) {
  setWindowTitle(tr("Download the ConsistI2V model"));
  setObjectName(QStringLiteral("model_download_dialog"));
  auto* lay = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("<b>TIGER-Lab/ConsistI2V</b> from the Hugging Face hub: about 6.7 GB (UNet, VAE, text "
                              "encoder, tokenizer). An interrupted download continues where it stopped."));
  intro->setWordWrap(true);
  lay->addWidget(intro);

  toCache_ = new QRadioButton(tr("Hugging Face cache, shared with other tools: %1").arg(ModelDownload::defaultCacheDir()));
  toCache_->setObjectName(QStringLiteral("download_target_cache"));
  toCache_->setChecked(true);
  toFolder_ = new QRadioButton(tr("A folder I choose:"));
  toFolder_->setObjectName(QStringLiteral("download_target_folder"));
  folder_ = new QLineEdit;
  folder_->setObjectName(QStringLiteral("download_folder"));
  folder_->setEnabled(false);
  browse_ = new QPushButton(tr("Browse…"));
  browse_->setEnabled(false);
  lay->addWidget(toCache_);
  auto* row = new QHBoxLayout;
  row->addWidget(toFolder_);
  row->addWidget(folder_, 1);
  row->addWidget(browse_);
  lay->addLayout(row);
  connect(toFolder_, &QRadioButton::toggled, this, [this](bool on) {
    folder_->setEnabled(on);
    browse_->setEnabled(on);
  });
  connect(browse_, &QPushButton::clicked, this, [this] {
    const QString d = QFileDialog::getExistingDirectory(this, tr("Folder for the model"), folder_->text());
    if (!d.isEmpty()) folder_->setText(d);
  });

  bar_ = new QProgressBar;
  bar_->setObjectName(QStringLiteral("download_progress"));
  bar_->setRange(0, 1000);
  bar_->setValue(0);
  // (plain text: a message may quote a server's answer, e.g. a proxy's "<html>…" page)
  file_ = new QLabel;
  file_->setObjectName(QStringLiteral("download_file"));
  file_->setTextFormat(Qt::PlainText);
  status_ = new QLabel(tr("Ready."));
  status_->setObjectName(QStringLiteral("download_status"));
  status_->setTextFormat(Qt::PlainText);
  error_ = new QLabel;
  error_->setTextFormat(Qt::PlainText);
  error_->setObjectName(QStringLiteral("download_error"));
  error_->setWordWrap(true);
  error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  error_->setStyleSheet(QStringLiteral("color: #c62828"));
  error_->hide();
  log_ = new QPlainTextEdit;
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(200);
  log_->setFixedHeight(70);
  log_->hide();
  lay->addWidget(bar_);
  lay->addWidget(file_);
  lay->addWidget(status_);
  lay->addWidget(error_);
  lay->addWidget(log_);

  auto* buttons = new QDialogButtonBox;
  start_ = buttons->addButton(tr("&Download"), QDialogButtonBox::AcceptRole);
  start_->setObjectName(QStringLiteral("download_start"));
  cancel_ = buttons->addButton(QDialogButtonBox::Cancel);
  cancel_->setObjectName(QStringLiteral("download_cancel"));
  // when the hub cannot be reached but a complete copy is already there: the user decides to use it
  use_ = buttons->addButton(tr("&Use it"), QDialogButtonBox::ActionRole);
  use_->setObjectName(QStringLiteral("download_use"));
  use_->hide();
  connect(use_, &QPushButton::clicked, this, [this] {
    Q_EMIT modelReady(offlineDir_);
    accept();
  });
  lay->addWidget(buttons);
  connect(start_, &QPushButton::clicked, this, &ModelDownloadDialog::startDownload);
  connect(cancel_, &QPushButton::clicked, this, [this] { isDownloading() ? cancelDownload() : reject(); });

  connect(job_, &ModelDownload::progress, this, &ModelDownloadDialog::showProgress);
  connect(job_, &ModelDownload::logLine, this, [this](const QString& l) {
    log_->show();
    log_->appendPlainText(l);
  });
  connect(job_, &ModelDownload::finished, this, [this](const QString& dir, bool offline) {
    setRunning(false);
    if (offline) {
      // nothing was downloaded (perhaps an update was wanted): say so, and let the user choose the copy there
      offlineDir_ = dir;
      status_->setText(tr("The hub could not be reached, so nothing was downloaded. A complete copy of the model is "
                          "already here: %1")
                           .arg(QDir::toNativeSeparators(dir)));
      use_->show();
      use_->setDefault(true);
      return;
    }
    bar_->setValue(bar_->maximum());
    status_->setText(tr("Done: %1").arg(dir));
    Q_EMIT modelReady(dir);
    accept();
  });
  connect(job_, &ModelDownload::failed, this, [this](const QString& message) {
    setRunning(false);
    status_->setText(tr("The download failed."));
    error_->setText(message);
    error_->show();
  });
  connect(job_, &ModelDownload::cancelled, this, [this] {
    setRunning(false);
    status_->setText(tr("Cancelled. Download again to continue where it stopped."));
  });
  setMinimumWidth(560);
}

ModelDownloadDialog::~ModelDownloadDialog() = default;  // job_'s destructor cancels and waits

bool ModelDownloadDialog::isDownloading() const { return job_->isRunning(); }

QString ModelDownloadDialog::statusText() const { return status_->text(); }

void ModelDownloadDialog::setRunning(bool running) {
  start_->setEnabled(!running);
  toCache_->setEnabled(!running);
  toFolder_->setEnabled(!running);
  folder_->setEnabled(!running && toFolder_->isChecked());
  browse_->setEnabled(!running && toFolder_->isChecked());
  cancel_->setText(running ? tr("&Cancel download") : tr("&Close"));
}

void ModelDownloadDialog::startDownload() {
  if (isDownloading()) return;
  ModelDownload::Request r;
  if (toFolder_->isChecked()) {
    if (folder_->text().trimmed().isEmpty()) {
      error_->setText(tr("Choose the folder for the model first."));
      error_->show();
      return;
    }
    r.localDir = folder_->text().trimmed();
  }
  error_->hide();
  use_->hide();  // an earlier offline answer's copy is not this download's result
  offlineDir_.clear();
  bar_->setValue(0);
  status_->setText(tr("Asking the hub for the file list…"));
  setRunning(true);
  job_->start(r);
}

void ModelDownloadDialog::cancelDownload() {
  if (!isDownloading()) return;
  status_->setText(tr("Cancelling…"));
  job_->cancel();
}

void ModelDownloadDialog::reject() {
  if (isDownloading()) {
    job_->cancel();
    job_->wait();
  }
  QDialog::reject();
}

void ModelDownloadDialog::showProgress(qint64 done, qint64 total, double bytesPerSecond, double etaSeconds,
                                       const QString& file, int fileIndex, int fileCount, const QString& stage) {
  if (stage == QLatin1String("listing")) return;
  if (total > 0) bar_->setValue(static_cast<int>(1000.0 * double(done) / double(total)));
  if (!file.isEmpty())
    file_->setText(tr("File %1 of %2: %3%4")
                       .arg(fileIndex)
                       .arg(fileCount)
                       .arg(file, stage == QLatin1String("verifying") ? tr(" (checking its sha256)")
                                  : stage == QLatin1String("waiting")
                                      ? tr(" (waiting: another download is fetching it)")
                                      : QString()));
  if (stage == QLatin1String("done")) return;
  status_->setText(tr("%1 of %2 · %3/s · %4 left")
                       .arg(formatBytes(done), formatBytes(total), formatBytes(static_cast<qint64>(bytesPerSecond)),
                            formatDuration(etaSeconds)));
}

}  // namespace studio
