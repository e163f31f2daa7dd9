using System.Diagnostics;
using KMeansPS.Bridge;
using KMeansPS.Imaging.IO;
using KMeansPS.Output;
using Xunit;

namespace KMeansPS.Tests.Bridge;

/// <summary>
/// The import's warm-up of a file's path: each embedded file compressed as the cmdlet compresses a file, in a private
/// temporary folder named for this process that is gone afterwards, whether the run ends or is stopped; and the
/// folders of processes that ended mid-run, removed by a later run. One class, so its runs never go side by side.
/// </summary>
public sealed class FileJobWarmupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kmeansps-stale-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // This process's warm-up folders in the temporary folder (another process's are its own business).
    private static string[] OwnFolders() => Directory.GetDirectories(Path.GetTempPath(), FileJobWarmup.OwnPrefix + "*");

    [Fact]
    public void EachEmbeddedFileIsWrittenAsAPaletteOfSixteenAndTheFolderIsRemoved()
    {
        IReadOnlyList<ImageCompressionResult> results = FileJobWarmup.Run(TestContext.Current.CancellationToken);
        Assert.Equal(2, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal(CompressionStatus.Written, r.Status);
            Assert.Equal((96, 64), (r.Width, r.Height));
            Assert.InRange(r.ColorsUsed, 2, 16);
            Assert.True(r.CompressedBytes > 0);
            Assert.StartsWith(Path.Combine(Path.GetTempPath(), FileJobWarmup.OwnPrefix), r.Destination, StringComparison.Ordinal);
            Assert.False(File.Exists(r.Destination), $"'{r.Destination}' was left behind.");
        });
        Assert.Empty(OwnFolders());
    }

    [Fact]
    public void AStoppedRunThrowsAndLeavesNoFolder()
    {
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => FileJobWarmup.Run(stop.Token));
        Assert.Empty(OwnFolders());
    }

    [Theory]
    [InlineData("kmeansps-warmup-123-abc", 123)]
    [InlineData("kmeansps-warmup-123-", null)]
    [InlineData("kmeansps-warmup--abc", null)]
    [InlineData("kmeansps-warmup-x1-abc", null)]
    [InlineData("kmeansps-warmup-0-abc", null)]
    [InlineData("kmeansps-other-123-abc", null)]
    public void AFolderNameGivesItsProcessId(string name, int? pid) => Assert.Equal(pid, FileJobWarmup.OwnerOf(name));

    [Fact]
    public void LeftoversOfEndedProcessesGoOnceQuietOrADayOldNeverALiveOnesOrALink()
    {
        int dead = DeadProcessId();
        DateTime twoMinutesAgo = DateTime.UtcNow - TimeSpan.FromMinutes(2), twoDaysAgo = DateTime.UtcNow - TimeSpan.FromDays(2);
        string staleDead = Folder($"kmeansps-warmup-{dead}-a1", twoMinutesAgo);
        string freshDead = Folder($"kmeansps-warmup-{dead}-a2", DateTime.UtcNow);       // its process may be in another PID namespace
        string quietLive = Folder($"kmeansps-warmup-{Environment.ProcessId}-a3", DateTime.UtcNow);
        string oldLive = Folder($"kmeansps-warmup-1-a4", twoDaysAgo);                    // PID 1 runs: a day old goes anyway
        string notOurs = Folder("kmeansps-warmup-notes", twoDaysAgo);
        string target = Folder("elsewhere", twoDaysAgo);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "keep");
        string link = Path.Combine(_root, $"kmeansps-warmup-{dead}-a5");
        Directory.CreateSymbolicLink(link, target);

        Assert.Equal(2, FileJobWarmup.RemoveStale(_root));

        Assert.False(Directory.Exists(staleDead));
        Assert.False(Directory.Exists(oldLive));
        Assert.True(Directory.Exists(freshDead));
        Assert.True(Directory.Exists(quietLive));
        Assert.True(Directory.Exists(notOurs));
        Assert.NotNull(new DirectoryInfo(link).LinkTarget);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(target, "keep.txt")));
    }

    // A folder with a file in it, its time of last write set last (adding the file renews it).
    private string Folder(string name, DateTime lastWrite)
    {
        string path = Path.Combine(_root, name);
        Directory.CreateDirectory(path);
        File.WriteAllBytes(Path.Combine(path, "in-0.png"), [1, 2, 3]);
        Directory.SetLastWriteTimeUtc(path, lastWrite);
        return path;
    }

    private static int DeadProcessId()
    {
        using var child = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "cmd" : "true") { UseShellExecute = false })!;
        child.WaitForExit();
        Assert.False(TempFiles.IsRunning(child.Id));
        return child.Id;
    }
}
