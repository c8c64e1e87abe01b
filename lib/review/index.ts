export * from './model';
export { buildReview, changeLine, MISSING, type ReviewOptions } from './build';
export { diffStacks } from './diff';
export { DATA_BEARING_TYPES, MOVING_ATTRIBUTES, REPLACING_ATTRIBUTES, isDataBearing } from './data-bearing';
export { SETTINGS, SETTINGS_BY_TYPE, showSetting, type SettingExtractor } from './settings';
export { renderMarkdown } from './markdown';
export { renderJson } from './json';
