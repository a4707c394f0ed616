using Carrot.Errors;
using Carrot.Storage.Sqlite;

namespace Carrot.Tests.Unit.Storage;

public sealed class StorageSafetyTests
{
    private const string MountInfo = """
        22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
        40 22 0:35 / /mnt/share rw,relatime shared:20 - nfs4 server:/export rw,vers=4.2
        41 22 0:36 / /mnt/fuse rw,relatime - fuse.sshfs user@host:/ rw
        42 40 8:2 / /mnt/share/local rw,relatime - ext4 /dev/sdb1 rw
        43 22 0:37 / /srv/my\040data rw - cifs //host/data rw
        """;

    [TestCase("/var/lib/carrot/carrot.db")]
    [TestCase("/mnt/share/local/carrot.db")]
    [TestCase("/mnt/sharefoo/carrot.db")]
    public void CheckFileSystem_AcceptsALocalDisk(string path) =>
        Assert.DoesNotThrow(() => StorageSafety.CheckFileSystem(path, MountInfo));

    [TestCase("/mnt/share/carrot.db", "nfs4")]
    [TestCase("/mnt/fuse/x/carrot.db", "fuse.sshfs")]
    [TestCase("/srv/my data/carrot.db", "cifs")]
    public void CheckFileSystem_RefusesNetworkAndFuseFileSystems(string path, string type)
    {
        var error = Assert.Throws<CarrotStoreException>(() => StorageSafety.CheckFileSystem(path, MountInfo));
        Assert.That(error!.Message, Does.Contain(type).And.Contain("local disk"));
    }

    [TestCase("3.51.2", true)]
    [TestCase("3.40.1", true)]
    [TestCase("3.51.3", false)]
    [TestCase("3.53.4", false)]
    public void CheckSqliteVersion_RefusesVersionsWithTheWalResetBug(string version, bool refused)
    {
        if (refused)
        {
            Assert.Throws<CarrotStoreException>(() => StorageSafety.CheckSqliteVersion(version, "/x.db"));
        }
        else
        {
            Assert.DoesNotThrow(() => StorageSafety.CheckSqliteVersion(version, "/x.db"));
        }
    }
}
