using KMeansPS.Bridge;
using KMeansPS.Output;
using KMeansPS.Pipeline;
using Xunit;

namespace KMeansPS.Tests.Bridge;

/// <summary>
/// Compress-ImageKMeans' -Debug stage times and the result's Elapsed are of the same clock: the stages fall within the
/// file's time, so their sum never exceeds Elapsed (it did on a session's first file, whose stage clock ran on past
/// the quantizer's), and the printed line's numbers add up to no more than the time it prints. Seeded noise images,
/// written as PPM, at several sizes and K, with and without a comparison figure.
/// </summary>
public sealed class StageTimesWithinElapsedTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kmeansps-stages-");

    public void Dispose() => _folder.Delete(recursive: true);

    public static TheoryData<int, int, int, int, bool> Cases() => new()
    {
        { 1, 8, 8, 2, false },
        { 2, 33, 17, 4, true },
        { 3, 64, 48, 16, false },
        { 4, 120, 90, 64, true },
        { 5, 200, 7, 256, false },
        { 6, 5, 300, 8, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_stage_times_add_up_to_no_more_than_Elapsed(int seed, int width, int height, int k, bool comparison)
    {
        string source = Noise(seed, width, height);
        ImageCompressionRequest d = FileJobWarmup.Request(source, Path.Combine(_folder.FullName, $"out{seed}.png"));
        var request = new ImageCompressionRequest
        {
            Source = d.Source, Destination = d.Destination, K = k, Format = d.Format, ColorSpace = d.ColorSpace, Dither = d.Dither,
            Algorithm = d.Algorithm, MaxIterations = d.MaxIterations, Tolerance = d.Tolerance, MaxPixels = d.MaxPixels, Threads = 1,
            Seed = seed, ComparisonPath = comparison ? Path.Combine(_folder.FullName, $"cmp{seed}.png") : null,
        };
        var progress = new ItemProgress(Path.GetFileName(source));
        ImageCompressionResult result = ImageCompressionJob.Run(request, progress, TestContext.Current.CancellationToken);

        TimeSpan stages = progress.Timings.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Time);
        Assert.NotEmpty(progress.Timings);
        Assert.True(stages <= result.Elapsed, $"The stages took {stages.TotalMilliseconds} ms, more than the file's Elapsed {result.Elapsed.TotalMilliseconds} ms.");

        // The printed numbers: each stage rounded so that they add up to the rounded whole, which the line also prints.
        string line = FileReport.Timings(source, progress.Timings, result.Elapsed)!;
        var match = System.Text.RegularExpressions.Regex.Match(line, @"stage times: (?<stages>.*); the file took (?<total>\d+) ms\.$");
        Assert.True(match.Success, line);
        int printed = System.Text.RegularExpressions.Regex.Matches(match.Groups["stages"].Value, @" (\d+) ms").Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(printed <= int.Parse(match.Groups["total"].Value, System.Globalization.CultureInfo.InvariantCulture), line);
        Assert.Equal(Math.Round(result.Elapsed.TotalMilliseconds, MidpointRounding.AwayFromZero), int.Parse(match.Groups["total"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    // A binary PPM of seeded random pixels.
    private string Noise(int seed, int width, int height)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * 3];
        random.NextBytes(pixels);
        string path = Path.Combine(_folder.FullName, $"noise{seed}.ppm");
        using var file = File.Create(path);
        file.Write(System.Text.Encoding.ASCII.GetBytes($"P6\n{width} {height}\n255\n"));
        file.Write(pixels);
        return path;
    }
}
