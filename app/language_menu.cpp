#include "app/language_menu.h"

#include <QActionGroup>
#include <QCoreApplication>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>

#include "app/app_setup.h"

namespace studio {

QMenu* addLanguageMenu(QMenu* parent, QSettings& settings, QWidget* window) {
  auto* menu = parent->addMenu(QCoreApplication::translate("studio::LanguageMenu", "&Language"));
  menu->setObjectName(QStringLiteral("menu_language"));
  auto* group = new QActionGroup(menu);
  group->setExclusive(true);
  const QString current = languageSetting(settings);
  // Language names are written in their own language (not translated), as language menus usually are.
  const struct {
    const char* code;
    QString text;
  } choices[] = {
      {"system", QCoreApplication::translate("studio::LanguageMenu", "&System language")},
      {"en", QStringLiteral("English")},
      {"ko", QStringLiteral("한국어")},
  };
  for (const auto& c : choices) {
    auto* a = menu->addAction(c.text);
    a->setObjectName(QStringLiteral("action_language_%1").arg(QLatin1String(c.code)));
    a->setCheckable(true);
    a->setChecked(current == QLatin1String(c.code));
    a->setData(QString::fromLatin1(c.code));
    group->addAction(a);
    QObject::connect(a, &QAction::triggered, menu, [&settings, window, code = QString::fromLatin1(c.code)] {
      if (languageSetting(settings) == code) return;
      setLanguageSetting(settings, code);
      settings.sync();
      auto* box = new QMessageBox(
          QMessageBox::Information, QCoreApplication::translate("studio::LanguageMenu", "Language"),
          QCoreApplication::translate("studio::LanguageMenu",
                                      "The new language applies the next time ConsistI2V Studio starts."),
          QMessageBox::Ok, window);
      box->setObjectName(QStringLiteral("language_note"));
      box->setAttribute(Qt::WA_DeleteOnClose);
      box->open();  // window-modal, never blocks the event loop
    });
  }
  return menu;
}

}  // namespace studio
