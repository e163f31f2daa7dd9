using KMeansPS.Bridge;
using KMeansPS.Output;
using Xunit;

namespace KMeansPS.Tests.Bridge;

/// <summary>
/// The import's warm-up of a file's path: each embedded file compressed as the cmdlet compresses a file, in a private
/// temporary folder that is gone afterwards, whether the run ends or is stopped. One class, so its tests never run side
/// by side and a folder one leaves is not taken for the other's.
/// </summary>
public sealed class FileJobWarmupTests
{
    private static HashSet<string> WarmupFolders() =>
        [.. Directory.GetDirectories(Path.GetTempPath(), FileJobWarmup.FolderPrefix + "*")];

    [Fact]
    public void EachEmbeddedFileIsWrittenAsAPaletteOfSixteenAndTheFolderIsRemoved()
    {
        HashSet<string> before = WarmupFolders();
        IReadOnlyList<ImageCompressionResult> results = FileJobWarmup.Run(TestContext.Current.CancellationToken);
        Assert.Equal(2, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal(CompressionStatus.Written, r.Status);
            Assert.Equal((96, 64), (r.Width, r.Height));
            Assert.InRange(r.ColorsUsed, 2, 16);
            Assert.True(r.CompressedBytes > 0);
            Assert.False(File.Exists(r.Destination), $"'{r.Destination}' was left behind.");
        });
        Assert.Empty(WarmupFolders().Except(before));
    }

    [Fact]
    public void AStoppedRunThrowsAndLeavesNoFolder()
    {
        HashSet<string> before = WarmupFolders();
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => FileJobWarmup.Run(stop.Token));
        Assert.Empty(WarmupFolders().Except(before));
    }
}
