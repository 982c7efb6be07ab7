// Everything the service needs about projects, from one place.
export { unsureHome } from './unsure-home.js';
export { projectIdentity, projectDirPath, datasetRoot, type ProjectSpec, type ProjectIdentity } from './project-dir.js';
export {
  openProject,
  projectDirFor,
  discardNewProject,
  readProjectFile,
  assertOutsideDatasets,
  PROJECT_FILE,
  type Project,
  type OpenProjectOptions,
} from './project-file.js';
export { listRecent, touchRecent, MAX_RECENT, RECENT_FILE, type RecentOptions } from './recent-projects.js';
