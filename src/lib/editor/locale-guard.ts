// Side effect only: makes navigator.language a tag Intl accepts (locale.ts says why). Its own
// top level does the work, so a module that imports it before 'uplot' runs it first.
import { guardNavigatorLanguage } from './locale';

guardNavigatorLanguage(globalThis.navigator);
