import { ApiError, errorFrom } from "./console-api";

/** One file's result of `POST /v1/console/bots/:id/files`. */
export interface UploadResult {
  file: string;
  id?: string;
  status: "indexed" | "unchanged" | "failed";
  chunks?: number;
  error?: { code: string; message: string };
}

/**
 * Uploads one file as multipart/form-data (field `file`) with XMLHttpRequest, whose upload
 * events report progress (fetch does not). Resolves with the file's result; rejects with an ApiError
 * when the whole request is refused (413 too large, 401, network).
 */
export function uploadFile(url: string, file: File, onProgress: (fraction: number) => void): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.responseType = "json";
    request.setRequestHeader("accept", "application/json");
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(new ApiError(0, "network_error", "The upload could not reach the server."));
    request.onload = () => {
      const body = request.response as { results?: UploadResult[] } | null;
      if (request.status >= 200 && request.status < 300 && body?.results?.[0]) {
        onProgress(1);
        resolve(body.results[0]);
      } else reject(errorFrom(request.status, body, request.getResponseHeader("retry-after")));
    };
    const form = new FormData();
    form.append("file", file, file.name);
    request.send(form);
  });
}
