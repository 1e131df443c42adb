# The azure-storage-blob SDK (Microsoft's client, not ours) on our backups in
# Azurite, for the integration scripts. Settings from AZURE_STORAGE_CONNECTION_STRING.
#   sdk.py CONTAINER make-container | drop-container
#   sdk.py CONTAINER ls PREFIX                   name<TAB>size per blob, sorted
#   sdk.py CONTAINER blocks NAME                 committed block count of a blob
#   sdk.py CONTAINER check-md5 PREFIX            every blob with a stored Content-MD5 matches it
#   sdk.py CONTAINER stage NAME                  stage one block on NAME, uncommitted (an
#                                                upload a killed writer left behind)
#   sdk.py CONTAINER uncommitted PREFIX          names of blobs with only uncommitted blocks
#   sdk.py CONTAINER sas                         a read/list SAS token for the container (1 h)
#   sdk.py CONTAINER copy FROM_PREFIX TO_PREFIX  download each blob, upload it again (in
#                                                4 MiB blocks above 4 MiB), so we read SDK writes
import base64, hashlib, os, sys
from azure.storage.blob import BlobServiceClient

container, cmd, args = sys.argv[1], sys.argv[2], sys.argv[3:]
service = BlobServiceClient.from_connection_string(
    os.environ["AZURE_STORAGE_CONNECTION_STRING"],
    max_single_put_size=4 * 1024 * 1024, max_block_size=4 * 1024 * 1024)
c = service.get_container_client(container)

if cmd == "make-container":
    c.create_container()
elif cmd == "drop-container":
    c.delete_container()
elif cmd == "ls":
    for b in sorted(c.list_blobs(name_starts_with=args[0]), key=lambda b: b.name):
        print(f"{b.name}\t{b.size}")
elif cmd == "blocks":
    committed, _ = c.get_blob_client(args[0]).get_block_list("committed")
    print(len(committed))
elif cmd == "check-md5":
    checked = 0
    for b in c.list_blobs(name_starts_with=args[0]):
        data = c.download_blob(b.name).readall()
        if len(data) != b.size:
            sys.exit(f"{b.name}: downloaded {len(data)} bytes, listed {b.size}")
        md5 = b.content_settings.content_md5
        if md5:
            if bytes(md5) != hashlib.md5(data).digest():
                sys.exit(f"{b.name}: content differs from its Content-MD5")
            checked += 1
    print(checked)
elif cmd == "stage":
    c.get_blob_client(args[0]).stage_block(base64.b64encode(b"orphan-000001").decode(), b"x" * 1024)
elif cmd == "uncommitted":
    committed = {b.name for b in c.list_blobs(name_starts_with=args[0])}
    for b in c.list_blobs(name_starts_with=args[0], include=["uncommittedblobs"]):
        if b.name not in committed:
            print(b.name)
elif cmd == "sas":
    from datetime import datetime, timedelta, timezone
    from azure.storage.blob import ContainerSasPermissions, generate_container_sas
    print(generate_container_sas(service.account_name, container,
                                 account_key=service.credential.account_key,
                                 permission=ContainerSasPermissions(read=True, list=True),
                                 expiry=datetime.now(timezone.utc) + timedelta(hours=1)))
elif cmd == "copy":
    src, dst = args
    n = 0
    for b in c.list_blobs(name_starts_with=src + "/"):
        data = c.download_blob(b.name).readall()
        c.upload_blob(dst + b.name[len(src):], data, overwrite=True)
        n += 1
    print(n)
else:
    sys.exit(f"unknown command {cmd}")
