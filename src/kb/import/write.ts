/**
 * Writing drafts without ever overwriting anything: the text goes to a temporary file in the
 * target folder, which is then hard-linked to its final name. `link` fails when the name exists,
 * atomically, so two imports running at once (or a file that appeared since the ids were chosen)
 * can never clobber each other; a reader never sees a half-written file under the final name.
 */
import { randomBytes } from 'node:crypto';
import { link, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Create `dir/name` with `text`, only if nothing has that name. Returns `false` (and writes
 * nothing) when the name is taken; throws for any other failure.
 */
export async function createExclusive(dir: string, name: string, text: string): Promise<boolean> {
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temp, text, { flag: 'wx', encoding: 'utf8' });
  try {
    await link(temp, join(dir, name));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // File systems without hard links: still exclusive (`wx`), only not atomic for readers.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EXDEV') {
      try {
        await writeFile(join(dir, name), text, { flag: 'wx', encoding: 'utf8' });
        return true;
      } catch (fallback) {
        if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw fallback;
      }
    }
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
