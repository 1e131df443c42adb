"""Interop with Google's own Python client (google-cloud-storage) on the emulator.

  interop.py BUCKET SRC_PREFIX DST_PREFIX BACKUP_ID

Lists what kafka-backup wrote under SRC_PREFIX, downloads every object (the
client checks each download against the object's MD5/CRC32C), checks each
manifest is JSON naming the backup, and uploads a copy of every object under
DST_PREFIX with the client's own upload code (resumable, in 1 MiB chunks, for
objects above 1 MiB) for kafka-backup to read back. Prints one JSON summary.
"""
import json
import sys

from google.auth.credentials import AnonymousCredentials
from google.cloud import storage


def main():
    bucket_name, src, dst, expect_id = sys.argv[1:5]
    client = storage.Client(project="kb-test", credentials=AnonymousCredentials())
    bucket = client.bucket(bucket_name)
    blobs = list(client.list_blobs(bucket_name, prefix=src + "/"))
    if not blobs:
        sys.exit(f"no objects under {src}/")
    copied, largest, manifests = 0, 0, 0
    for blob in blobs:
        data = blob.download_as_bytes(checksum="md5")
        if len(data) != blob.size:
            sys.exit(f"{blob.name}: downloaded {len(data)} bytes, listing says {blob.size}")
        if "/manifests/" in blob.name and blob.name.endswith(".json"):
            doc = json.loads(data)
            manifests += 1
            if doc.get("backup_id") != expect_id:
                sys.exit(f"{blob.name}: backup_id {doc.get('backup_id')!r}, expected {expect_id!r}")
        out = bucket.blob(dst + blob.name[len(src):], chunk_size=1024 * 1024 if len(data) > 1024 * 1024 else None)
        out.upload_from_string(data, content_type="application/octet-stream")
        copied += 1
        largest = max(largest, len(data))
    print(json.dumps({"objects": copied, "largest": largest, "manifests": manifests}))


if __name__ == "__main__":
    main()
