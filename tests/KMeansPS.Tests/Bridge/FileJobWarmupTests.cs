using KMeansPS.Bridge;
using KMeansPS.Output;
using Xunit;

namespace KMeansPS.Tests.Bridge;

/// <summary>
/// The import's warm-up of a file's path: each embedded file compressed as the cmdlet compresses a file, in a private
/// temporary folder named for this process that is gone afterwards, whether the run ends or is stopped. One class, so
/// its runs never go side by side.
/// </summary>
public sealed class FileJobWarmupTests
{
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

    // The exit handler may remove the warm-up's folder while a job runs; a job that then made the output's folder
    // again would leave it behind. The warm-up's job fails instead, and no folder appears.
    [Fact]
    public void AWarmUpJobWhoseFolderIsGoneFailsAndMakesNoFolder()
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("kmeansps-test-");
        try
        {
            string source = Path.Combine(folder.FullName, "in.png");
            File.WriteAllBytes(source, KMeansPS.Imaging.Quantization.PaletteJobWarmup.Resource(KMeansPS.Imaging.Quantization.PaletteJobWarmup.PngResources[0]));
            string gone = Path.Combine(folder.FullName, "gone");
            ImageCompressionRequest request = FileJobWarmup.Request(source, Path.Combine(gone, "out.png"));
            Assert.False(request.CreateFolders);
            Assert.Throws<OutputWriteException>(() => ImageCompressionJob.Run(request, progress: null, TestContext.Current.CancellationToken));
            Assert.False(Directory.Exists(gone), "The job made the folder again.");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
