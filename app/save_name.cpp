#include "app/save_name.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

namespace studio {

bool confirmReplace(QWidget* parent, const QString& file) {
  if (!QFileInfo(file).isFile()) return true;
  return QMessageBox::question(parent, QCoreApplication::translate("studio::SaveName", "Replace the file?"),
                               QCoreApplication::translate("studio::SaveName", "%1 already exists. Replace it?")
                                   .arg(QDir::toNativeSeparators(file)),
                               QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) == QMessageBox::Yes;
}

QString confirmSaveName(QWidget* parent, const QString& typed, const QString& suffix) {
  if (typed.isEmpty()) return QString();
  QString file = typed;
  if (!suffix.isEmpty() && !file.endsWith(suffix, Qt::CaseInsensitive)) file += suffix;
  return confirmReplace(parent, file) ? file : QString();
}

QString askSaveFileName(QWidget* parent, const QString& title, const QString& proposed, const QString& filter,
                        const QString& suffix) {
  const QString typed =
      QFileDialog::getSaveFileName(parent, title, proposed, filter, nullptr, QFileDialog::DontConfirmOverwrite);
  return confirmSaveName(parent, typed, suffix);
}

}  // namespace studio
