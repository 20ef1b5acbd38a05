/**
 * The `images` and `history` row contexts, with docker's columns and truncation.
 */
import type { HistoryItem, ImageSummary } from '../../client/images.js';
import { ellipsis, truncateId } from './container-context.js';
import { formatGoTime, humanDuration, humanSize } from './human-units.js';

/** The default `images` table. */
export const IMAGES_TABLE_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';

/** Column headers of the `images` fields. */
export const IMAGES_HEADERS: Record<string, string> = {
  Repository: 'REPOSITORY', Tag: 'TAG', ID: 'IMAGE ID', Digest: 'DIGEST', CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT', Size: 'SIZE', Containers: 'CONTAINERS', SharedSize: 'SHARED SIZE',
  UniqueSize: 'UNIQUE SIZE', VirtualSize: 'VIRTUAL SIZE',
};

/** One row of `wharf images` (an image appears once per tag). */
export class ImageContext {
  constructor(
    private readonly img: ImageSummary,
    private readonly repo: string,
    private readonly tag: string,
    private readonly digest: string,
    private readonly trunc: boolean,
    private readonly nowMs: number,
  ) {}

  ID(): string {
    return this.trunc ? truncateId(this.img.Id) : this.img.Id;
  }
  Repository(): string {
    return this.repo;
  }
  Tag(): string {
    return this.tag;
  }
  Digest(): string {
    return this.digest;
  }
  CreatedSince(): string {
    return `${humanDuration(this.nowMs - this.img.Created * 1000)} ago`;
  }
  CreatedAt(): string {
    return formatGoTime(this.img.Created * 1000);
  }
  Size(): string {
    return humanSize(this.img.Size, 3);
  }
  VirtualSize(): string {
    return humanSize(this.img.VirtualSize ?? this.img.Size, 3);
  }
  SharedSize(): string {
    return this.img.SharedSize === undefined || this.img.SharedSize < 0 ? 'N/A' : humanSize(this.img.SharedSize, 3);
  }
  UniqueSize(): string {
    return this.img.SharedSize === undefined || this.img.SharedSize < 0
      ? 'N/A'
      : humanSize(this.img.Size - this.img.SharedSize, 3);
  }
  Containers(): string {
    return this.img.Containers < 0 ? 'N/A' : String(this.img.Containers);
  }

  /** `--format json`. */
  toJSON(): Record<string, string> {
    return {
      Containers: this.Containers(), CreatedAt: this.CreatedAt(), CreatedSince: this.CreatedSince(),
      Digest: this.Digest(), ID: this.ID(), Repository: this.Repository(), SharedSize: this.SharedSize(),
      Size: this.Size(), Tag: this.Tag(), UniqueSize: this.UniqueSize(), VirtualSize: this.VirtualSize(),
    };
  }
}

/** Splits an image into its rows: one per repo:tag, or `<none> <none>` when dangling. */
export function imageRows(img: ImageSummary, trunc: boolean, nowMs: number): ImageContext[] {
  const tags = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  const digests = (img.RepoDigests ?? []).filter((d) => d !== '<none>@<none>');
  if (tags.length === 0) {
    if (digests.length > 0) {
      return digests.map((d) => {
        const at = d.lastIndexOf('@');
        return new ImageContext(img, d.slice(0, at), '<none>', d.slice(at + 1), trunc, nowMs);
      });
    }
    return [new ImageContext(img, '<none>', '<none>', '<none>', trunc, nowMs)];
  }
  return tags.map((t) => {
    const colon = t.lastIndexOf(':');
    const repo = colon > t.lastIndexOf('/') ? t.slice(0, colon) : t;
    const tag = colon > t.lastIndexOf('/') ? t.slice(colon + 1) : '<none>';
    const digest = digests.find((d) => d.startsWith(`${repo}@`));
    return new ImageContext(img, repo, tag, digest ? digest.slice(repo.length + 1) : '<none>', trunc, nowMs);
  });
}

/** The default `history` table. */
export const HISTORY_TABLE_FORMAT =
  'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';

/** Column headers of the `history` fields. */
export const HISTORY_HEADERS: Record<string, string> = {
  ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE',
  Comment: 'COMMENT',
};

/** One row of `wharf history`. */
export class HistoryContext {
  constructor(
    private readonly h: HistoryItem,
    private readonly trunc: boolean,
    private readonly human: boolean,
    private readonly nowMs: number,
  ) {}

  ID(): string {
    if (this.h.Id === '<missing>' || !this.h.Id) return '<missing>';
    return this.trunc ? truncateId(this.h.Id) : this.h.Id;
  }
  CreatedSince(): string {
    if (!this.human) return this.CreatedAt();
    return `${humanDuration(this.nowMs - this.h.Created * 1000)} ago`;
  }
  CreatedAt(): string {
    return new Date(this.h.Created * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  }
  CreatedBy(): string {
    const by = this.h.CreatedBy.replace(/\t/g, ' ');
    return this.trunc ? ellipsis(by, 45) : by;
  }
  Size(): string {
    return this.human ? humanSize(this.h.Size, 3) : String(this.h.Size);
  }
  Comment(): string {
    return this.h.Comment;
  }

  /** `--format json`. */
  toJSON(): Record<string, string> {
    return {
      Comment: this.Comment(), CreatedAt: this.CreatedAt(), CreatedBy: this.CreatedBy(),
      CreatedSince: this.CreatedSince(), ID: this.ID(), Size: this.Size(),
    };
  }
}
