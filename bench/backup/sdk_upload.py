"""The emulator's own client uploading the bench's bytes, for the row beside ours.

  sdk_upload.py azure CONTAINER FILE PARTS   (AZURE_STORAGE_CONNECTION_STRING)
  sdk_upload.py gcs BUCKET FILE PARTS        (STORAGE_EMULATOR_HOST)

FILE is cut into PARTS objects of equal size, uploaded by PARTS threads at once (as
our backup writes the partitions of its 4-partition topic side by side), each with
the client's default upload code.
"""
import os
import sys
from concurrent.futures import ThreadPoolExecutor


def pieces(path, parts):
    data = open(path, "rb").read()
    step = -(-len(data) // parts)
    return [data[i:i + step] for i in range(0, len(data), step)]


def main():
    client, where, path, parts = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    chunks = pieces(path, parts)
    if client == "azure":
        from azure.storage.blob import BlobServiceClient
        service = BlobServiceClient.from_connection_string(os.environ["AZURE_STORAGE_CONNECTION_STRING"])
        container = service.get_container_client(where)
        upload = lambda i: container.upload_blob(f"sdk/part-{i}", chunks[i], overwrite=True)
    elif client == "gcs":
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import storage
        bucket = storage.Client(project="kb-bench", credentials=AnonymousCredentials()).bucket(where)
        upload = lambda i: bucket.blob(f"sdk/part-{i}").upload_from_string(
            chunks[i], content_type="application/octet-stream")
    else:
        sys.exit(f"unknown client {client}")
    with ThreadPoolExecutor(len(chunks)) as pool:
        list(pool.map(upload, range(len(chunks))))


main()
