// Not-found page: only translation.
import {t, translatePage} from './strings.js';
translatePage(document);
document.title = t('notFoundTitle');
