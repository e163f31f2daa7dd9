using System.Text.RegularExpressions;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Jpeg;

/// <summary>
/// Seeded damage against djpeg: single bit flips and byte changes after the first scan header (the entropy-coded
/// data, and in progressive files the tables and scan headers between scans) of baseline and progressive files, grey,
/// 4:2:0 and 4:4:4, with and without restart intervals, each decoded as the cmdlets decode it and by djpeg. What the
/// decoder accepts is djpeg's picture bit for bit, on every kernel; it warns that the pixels are libjpeg's whenever
/// djpeg reports data no block uses, and accepts nothing from which djpeg made its picture with data of its own
/// (a bad code read as zero, zeros after a marker met early) or which djpeg refuses. Of the files djpeg decodes
/// without a word, the decoder refuses only those with the two faults libjpeg passes over in silence: a code its
/// fast path does not find (taken as 0) and a run of coefficients past the end of a block (the last coefficient
/// written at position 63).
/// </summary>
public class JpegCorruptionCorpusTests
{
    private const int TrialsPerKind = 40;

    private static readonly (string Kind, string Options)[] Kinds =
    [
        ("baseline-420", "-sample 2x2"),
        ("baseline-444", "-sample 1x1"),
        ("baseline-420-restart", "-sample 2x2 -restart 1"),
        ("grey", "-grayscale"),
        ("progressive-420", "-sample 2x2 -progressive"),
        ("progressive-444-restart", "-sample 1x1 -progressive -restart 1"),
        ("grey-progressive", "-grayscale -progressive"),
    ];

    private static readonly Regex Extraneous = new(@"^Corrupt JPEG data: \d+ extraneous bytes before marker 0x[0-9a-f]{2}$");

    private static readonly Regex SilentlyPassedOver = new(@"\((coefficients beyond the end of a block|an invalid Huffman code)\)\.$");

    [Fact]
    public void Damaged_files_decode_to_djpegs_pixels_or_are_refused()
    {
        int acceptedClean = 0, acceptedWithWarning = 0, refusedLikeDjpeg = 0, refusedPastDjpeg = 0;
        string? partedFromCCode = null;
        foreach ((string kind, string options) in Kinds)
        {
            bool grey = options.StartsWith("-grayscale", StringComparison.Ordinal);
            byte[] jpeg = LibjpegTools.Cjpeg(JpegSamples.Photo(61, 45, seed: kind.Length), $"{options} -quality 90", grey);
            JpegSamples.Segment sos = JpegSamples.First(jpeg, 0xDA);
            int start = sos.Offset + sos.Length, end = jpeg.Length - 2;
            var random = new Random(20270114 + kind.Length);
            for (int trial = 0; trial < TrialsPerKind; trial++)
            {
                byte[] damaged = (byte[])jpeg.Clone();
                int at = start + random.Next(end - start);
                damaged[at] = trial % 2 == 0 ? (byte)(damaged[at] ^ (1 << random.Next(8))) : (byte)(damaged[at] + 1 + random.Next(255));
                string what = $"{kind}, trial {trial}, byte {at}";

                (int exitCode, string errors, Rgba32[]? reference) = LibjpegTools.DjpegOutcome(damaged);
                string[] said = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                RgbaImage ours;
                try
                {
                    ours = ImageDecoder.Decode(new MemoryStream(damaged), name: "damaged.jpg", cancellationToken: TestContext.Current.CancellationToken);
                }
                catch (InvalidImageException refusal)
                {
                    if (exitCode == 1)
                    {
                        refusedLikeDjpeg++;
                    }
                    else
                    {
                        refusedPastDjpeg++;
                        Assert.True(said.Length > 0 || SilentlyPassedOver.IsMatch(refusal.Message), $"{what}: djpeg decodes it without a word, the decoder refuses it: {refusal.Message}");
                    }
                    continue;
                }

                Assert.True(exitCode != 1 && reference is not null, $"{what}: djpeg refuses it ({errors.Trim()}), the decoder accepts it");
                Assert.True(said.All(Extraneous.IsMatch), $"{what}: accepted, but djpeg put data of its own in the picture: {errors.Trim()}");
                Rgba32[] pixels = ours.Pixels[..(ours.Width * ours.Height)];
                Assert.True(reference.AsSpan().SequenceEqual(pixels), $"{what}: {JpegSamples.FirstDifference(reference, pixels, ours.Width)}");
                foreach (JpegKernel kernel in Enum.GetValues<JpegKernel>())
                {
                    Rgba32[] withKernel = JpegSamples.Decode(damaged, kernel);
                    Assert.True(reference.AsSpan().SequenceEqual(withKernel), $"{what}, {kernel}: {JpegSamples.FirstDifference(reference, withKernel, ours.Width)}");
                }
                if (said.Length > 0)
                {
                    Assert.EndsWith("The pixels are those libjpeg decodes from it.", ours.DecodeWarning);
                    acceptedWithWarning++;
                }
                else
                {
                    // libjpeg's bit buffer may have taken in up to 8 bytes before it stopped, which it then does not count.
                    if (ours.DecodeWarning is not null)
                        Assert.True(int.Parse(Regex.Match(ours.DecodeWarning, @"holds (\d+) byte").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) <= 8, $"{what}: {ours.DecodeWarning}");
                    acceptedClean++;
                }
                if (partedFromCCode is null && !reference.AsSpan().SequenceEqual(LibjpegTools.DjpegOutcome(damaged, cCode: true).Pixels)) partedFromCCode = what;
            }
        }
        TestContext.Current.SendDiagnosticMessage($"{acceptedClean} accepted as djpeg decodes them without a word, {acceptedWithWarning} with a warning; " +
            $"{refusedLikeDjpeg} refused as djpeg refuses them, {refusedPastDjpeg} that djpeg decodes; the first accepted where libjpeg-turbo's C code gives other pixels: {partedFromCCode ?? "none"}");
        // The corpus must hold every outcome, and damage that pushes samples out of range, where libjpeg-turbo's x86 and C code part.
        Assert.True(acceptedClean > 0 && acceptedWithWarning > 0 && refusedLikeDjpeg > 0 && refusedPastDjpeg > 0 && partedFromCCode is not null,
            $"{acceptedClean} / {acceptedWithWarning} / {refusedLikeDjpeg} / {refusedPastDjpeg} / {partedFromCCode ?? "none"}");
    }
}
