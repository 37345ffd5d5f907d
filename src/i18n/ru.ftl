# Русские сообщения kmdiag. Ключи и значения ($name) те же, что в en.ftl (это проверяет тест).
# Метки клемм приходят уже записанными по-русски (Д4), если профиль не велит писать как на плате.

## Слова и буквы

word-apartment = квартира
word-entrance = подъезд
letter-tens = Д
letter-units = Е
apartment-short = кв. {$n}

## Неисправности

fault-short = КЗ
fault-reversed = переполюсовка
fault-leak = утечка
fault-high-resistance = плохой контакт
fault-open = обрыв

## Состояния пересечений, их метки в сетке и что они значат

state-ok = норма
state-absent = нет трубки
state-unused = не используется
state-not-measured = не измерено
state-ghost = фантом
state-suspect = сомнительное измерение
state-tag-ok = ок
state-tag-ghost = фантом
state-tag-short = КЗ
state-tag-reversed = ПЕРЕПОЛ
state-tag-leak = УТЕЧКА
state-tag-high-resistance = ПЛОХ.КОНТ
state-tag-open = ОБРЫВ
state-tag-suspect = ПЕРЕМЕР
state-meaning-ok = исправная трубка
state-meaning-absent = трубки нет (OL в обе стороны), норма, если её не ставили
state-meaning-unused = на этом пересечении нет квартиры
state-meaning-not-measured = не измерено
state-meaning-ghost = пустое пересечение звонится через неисправную трубку
state-meaning-short = КЗ трубки или отвода
state-meaning-reversed = трубка подключена наоборот
state-meaning-leak = трубка проводит в обратную сторону
state-meaning-high-resistance = проводит, но намного хуже остальных
state-meaning-open = отрезана обрывом линии
state-meaning-suspect = такого показания не бывает: перемерить в обе стороны


## Постоянные слова отчётов и таблиц (Term)

term-report-title = Отчёт о проверке домофонной линии
term-building = Дом
term-entrance = Подъезд
term-date = Дата
term-meter = Прибор
term-source = Источник
term-profile = Профиль
term-switch = Коммутатор
term-matrix = Матрица (сотня)
term-matrix-of-entrance = сотня
term-offset = Смещение
term-apartments = Квартиры
term-apartment = Квартира
term-typical-forward = Исправные трубки здесь показывают
term-no-calibration = Ни одна трубка не прозвонилась в прямом направлении: калибровать не по чему.
term-findings = Неисправности
term-no-fault = Неисправностей не найдено.
term-subject = Квартира / линия
term-where = Где
term-fault = Неисправность
term-confidence = Уверенность
term-evidence = Признаки
term-action = Что делать
term-legend = Обозначения
term-grid = Матрица (Д — строки, Е — столбцы)
term-raw-measurements = Приложение: измерения
term-forward = Прямое (красный на Д)
term-reverse = Обратное (красный на Е)
term-apartment-short = Кв.
term-forward-short = Прямое
term-reverse-short = Обратное
term-polarity-note = Прямое: красный (+) щуп на линии Д, чёрный (−) на линии Е; обратное: наоборот. OL: обрыв (бесконечность).
term-bus-checks = Проверки линия–линия
term-reading = Показание
term-notes = Примечания
term-unknown = не указан
term-no-flat = (нет квартиры)
term-line = линия
term-state = Состояние
term-result = Итог
term-healthy = исправно
term-faults-found = есть неисправности
term-measured = Измерено
term-not-recorded = время не записано в файле
term-report-made = Отчёт составлен
term-summary = Сводка
term-handsets-answering = Трубки отвечают
term-faults = Неисправности
term-cannot-tell = Не определить
term-worst-finding = Главная неисправность
term-not-checked = не проверен
term-entrances-with-faults = Подъезды с неисправностями
term-healthy-entrances = Исправные подъезды
term-not-measured-list = Не измерено
term-unused-open = Без квартиры, обрыв в обе стороны
term-blank = пусто
term-warning = Внимание
term-incomplete = обход неполный
term-no-fault-measured = На измеренных пересечениях неисправностей не найдено.

## Ошибки

error-unknown-lang-env = KMDIAG_LANG = '{$value}' — такого языка kmdiag не знает; задайте один из: {$known}, или уберите переменную

## Количества

count-apartments = { $n ->
    [one] {$n} квартира
    [few] {$n} квартиры
   *[many] {$n} квартир
}
