package dev.dimutex.emulator;

import java.util.List;

/**
 * Every method of the storage v1 discovery document (revision of gcloud 528's generated client):
 * id, HTTP method and path below {@code /storage/v1/}. The {@link Router} serves the implemented
 * ones and answers 501 naming the method for the others.
 */
final class DiscoveryMethods {
  private DiscoveryMethods() {}

  /** One method of the discovery document. */
  record Method(String id, String httpMethod, String path) {}

  static final List<Method> ALL =
      """
      storage.anywhereCaches.disable POST b/{bucket}/anywhereCaches/{anywhereCacheId}/disable
      storage.anywhereCaches.get GET b/{bucket}/anywhereCaches/{anywhereCacheId}
      storage.anywhereCaches.insert POST b/{bucket}/anywhereCaches
      storage.anywhereCaches.list GET b/{bucket}/anywhereCaches
      storage.anywhereCaches.pause POST b/{bucket}/anywhereCaches/{anywhereCacheId}/pause
      storage.anywhereCaches.resume POST b/{bucket}/anywhereCaches/{anywhereCacheId}/resume
      storage.anywhereCaches.update PATCH b/{bucket}/anywhereCaches/{anywhereCacheId}
      storage.bucketAccessControls.delete DELETE b/{bucket}/acl/{entity}
      storage.bucketAccessControls.get GET b/{bucket}/acl/{entity}
      storage.bucketAccessControls.insert POST b/{bucket}/acl
      storage.bucketAccessControls.list GET b/{bucket}/acl
      storage.bucketAccessControls.patch PATCH b/{bucket}/acl/{entity}
      storage.bucketAccessControls.update PUT b/{bucket}/acl/{entity}
      storage.buckets.delete DELETE b/{bucket}
      storage.buckets.get GET b/{bucket}
      storage.buckets.getIamPolicy GET b/{bucket}/iam
      storage.buckets.getStorageLayout GET b/{bucket}/storageLayout
      storage.buckets.insert POST b
      storage.buckets.list GET b
      storage.buckets.lockRetentionPolicy POST b/{bucket}/lockRetentionPolicy
      storage.buckets.patch PATCH b/{bucket}
      storage.buckets.relocate POST b/{bucket}/relocate
      storage.buckets.restore POST b/{bucket}/restore
      storage.buckets.setIamPolicy PUT b/{bucket}/iam
      storage.buckets.testIamPermissions GET b/{bucket}/iam/testPermissions
      storage.buckets.update PUT b/{bucket}
      storage.channels.stop POST channels/stop
      storage.defaultObjectAccessControls.delete DELETE b/{bucket}/defaultObjectAcl/{entity}
      storage.defaultObjectAccessControls.get GET b/{bucket}/defaultObjectAcl/{entity}
      storage.defaultObjectAccessControls.insert POST b/{bucket}/defaultObjectAcl
      storage.defaultObjectAccessControls.list GET b/{bucket}/defaultObjectAcl
      storage.defaultObjectAccessControls.patch PATCH b/{bucket}/defaultObjectAcl/{entity}
      storage.defaultObjectAccessControls.update PUT b/{bucket}/defaultObjectAcl/{entity}
      storage.folders.delete DELETE b/{bucket}/folders/{folder}
      storage.folders.get GET b/{bucket}/folders/{folder}
      storage.folders.insert POST b/{bucket}/folders
      storage.folders.list GET b/{bucket}/folders
      storage.folders.rename POST b/{bucket}/folders/{sourceFolder}/renameTo/folders/{destinationFolder}
      storage.managedFolders.delete DELETE b/{bucket}/managedFolders/{managedFolder}
      storage.managedFolders.get GET b/{bucket}/managedFolders/{managedFolder}
      storage.managedFolders.getIamPolicy GET b/{bucket}/managedFolders/{managedFolder}/iam
      storage.managedFolders.insert POST b/{bucket}/managedFolders
      storage.managedFolders.list GET b/{bucket}/managedFolders
      storage.managedFolders.setIamPolicy PUT b/{bucket}/managedFolders/{managedFolder}/iam
      storage.managedFolders.testIamPermissions GET b/{bucket}/managedFolders/{managedFolder}/iam/testPermissions
      storage.notifications.delete DELETE b/{bucket}/notificationConfigs/{notification}
      storage.notifications.get GET b/{bucket}/notificationConfigs/{notification}
      storage.notifications.insert POST b/{bucket}/notificationConfigs
      storage.notifications.list GET b/{bucket}/notificationConfigs
      storage.objectAccessControls.delete DELETE b/{bucket}/o/{object}/acl/{entity}
      storage.objectAccessControls.get GET b/{bucket}/o/{object}/acl/{entity}
      storage.objectAccessControls.insert POST b/{bucket}/o/{object}/acl
      storage.objectAccessControls.list GET b/{bucket}/o/{object}/acl
      storage.objectAccessControls.patch PATCH b/{bucket}/o/{object}/acl/{entity}
      storage.objectAccessControls.update PUT b/{bucket}/o/{object}/acl/{entity}
      storage.objects.bulkRestore POST b/{bucket}/o/bulkRestore
      storage.objects.compose POST b/{destinationBucket}/o/{destinationObject}/compose
      storage.objects.copy POST b/{sourceBucket}/o/{sourceObject}/copyTo/b/{destinationBucket}/o/{destinationObject}
      storage.objects.delete DELETE b/{bucket}/o/{object}
      storage.objects.get GET b/{bucket}/o/{object}
      storage.objects.getIamPolicy GET b/{bucket}/o/{object}/iam
      storage.objects.insert POST b/{bucket}/o
      storage.objects.list GET b/{bucket}/o
      storage.objects.move POST b/{bucket}/o/{sourceObject}/moveTo/o/{destinationObject}
      storage.objects.patch PATCH b/{bucket}/o/{object}
      storage.objects.restore POST b/{bucket}/o/{object}/restore
      storage.objects.rewrite POST b/{sourceBucket}/o/{sourceObject}/rewriteTo/b/{destinationBucket}/o/{destinationObject}
      storage.objects.setIamPolicy PUT b/{bucket}/o/{object}/iam
      storage.objects.testIamPermissions GET b/{bucket}/o/{object}/iam/testPermissions
      storage.objects.update PUT b/{bucket}/o/{object}
      storage.objects.watchAll POST b/{bucket}/o/watch
      storage.buckets.operations.advanceRelocateBucket POST b/{bucket}/operations/{operationId}/advanceRelocateBucket
      storage.buckets.operations.cancel POST b/{bucket}/operations/{operationId}/cancel
      storage.buckets.operations.get GET b/{bucket}/operations/{operationId}
      storage.buckets.operations.list GET b/{bucket}/operations
      storage.projects.hmacKeys.create POST projects/{projectId}/hmacKeys
      storage.projects.hmacKeys.delete DELETE projects/{projectId}/hmacKeys/{accessId}
      storage.projects.hmacKeys.get GET projects/{projectId}/hmacKeys/{accessId}
      storage.projects.hmacKeys.list GET projects/{projectId}/hmacKeys
      storage.projects.hmacKeys.update PUT projects/{projectId}/hmacKeys/{accessId}
      storage.projects.serviceAccount.get GET projects/{projectId}/serviceAccount
      """
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty())
          .map(
              line -> {
                String[] parts = line.split(" ");
                return new Method(parts[0], parts[1], parts[2]);
              })
          .toList();
}
