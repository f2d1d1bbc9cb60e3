import { adminCs } from './admin.cs.js';
import { adminEn } from './admin.en.js';
import { adminRu } from './admin.ru.js';
import { dashCs } from './dash.cs.js';
import { dashEn } from './dash.en.js';
import { dashRu } from './dash.ru.js';
import { addMessages } from './index.js';

/**
 * The admin and dashboard texts in every language, registered when a lazy page chunk imports this module
 * (before it renders), so the initial load carries only the workspace's texts.
 */
addMessages({
  en: { ...adminEn, ...dashEn },
  cs: { ...adminCs, ...dashCs },
  ru: { ...adminRu, ...dashRu },
});
