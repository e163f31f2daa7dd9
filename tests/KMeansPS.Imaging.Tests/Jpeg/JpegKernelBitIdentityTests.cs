using KMeansPS.Imaging.Jpeg;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Jpeg;

/// <summary>
/// Every vector kernel of the JPEG decoder against its scalar reference, bit for bit, on random and extreme
/// inputs (where 16-bit words wrap and saturate), at every width whatever the hardware: widths the CPU lacks run in
/// software, which must give the same bits. The build runs this executable once per instruction-set leg as well.
/// </summary>
public class JpegKernelBitIdentityTests
{
    private static readonly JpegKernel[] VectorKernels = [JpegKernel.Vector128, JpegKernel.Vector256];

    public static TheoryData<string> CoefficientRanges() => ["typical", "full-range", "sparse", "extreme", "first-row"];

    [Theory]
    [MemberData(nameof(CoefficientRanges))]
    public void Inverse_DCT_matches_the_scalar_reference_at_every_width(string range)
    {
        var random = new Random(range.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        var block = new short[64];
        var dequant = new short[64];
        var expected = new byte[8 * 11];
        var actual = new byte[8 * 11];
        for (int trial = 0; trial < 3000; trial++)
        {
            Fill(random, range, block, dequant);
            Array.Fill(expected, (byte)0xA5);
            InverseDct.TransformScalar(block, dequant, expected, 11);
            foreach (JpegKernel kernel in VectorKernels)
            {
                Array.Fill(actual, (byte)0xA5);
                InverseDct.Transform(kernel, block, dequant, actual, 11);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{kernel}, {range}, trial {trial}");
            }
        }
    }

    [Fact]
    public void The_DC_only_shortcut_is_the_full_transform()
    {
        var random = new Random(17);
        var block = new short[64];
        var dequant = new short[64];
        var full = new byte[64];
        var shortcut = new byte[64];
        for (int trial = 0; trial < 20000; trial++)
        {
            block[0] = (short)random.Next(short.MinValue, short.MaxValue + 1);
            dequant[0] = (short)(trial % 2 == 0 ? random.Next(1, 256) : random.Next(short.MinValue, short.MaxValue + 1));
            InverseDct.TransformScalar(block, dequant, full, 8);
            InverseDct.TransformDcOnly(block[0], dequant[0], shortcut, 8);
            Assert.True(full.AsSpan().SequenceEqual(shortcut), $"DC {block[0]} x {dequant[0]}");
        }
    }

    /// <summary>
    /// The reference is libjpeg-turbo's x86 SIMD inverse DCT: against <see cref="Sse2InverseDct"/>, a step-by-step
    /// transcription of its jidctint-sse2.asm (pmaddwd over pairs of inputs where the reference forms libjpeg's sums,
    /// 16-bit adds, packs that saturate, the column shortcut), on blocks whose words wrap and saturate at every step.
    /// </summary>
    [Theory]
    [MemberData(nameof(CoefficientRanges))]
    public void The_reference_is_libjpeg_turbos_SSE2_code(string range)
    {
        var random = new Random(range.Length * 7919);
        var block = new short[64];
        var dequant = new short[64];
        var expected = new byte[64];
        var actual = new byte[64];
        for (int trial = 0; trial < 3000; trial++)
        {
            Fill(random, range, block, dequant);
            Sse2InverseDct.Transform(block, dequant, expected);
            InverseDct.TransformScalar(block, dequant, actual, 8);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{range}, trial {trial}");
        }
    }

    [Fact]
    public void Inverse_DCT_constants_are_the_13_bit_roundings_of_the_factorisation()
    {
        double c(int k) => Math.Cos(k * Math.PI / 16);
        double r2 = Math.Sqrt(2);
        Assert.Equal(InverseDct.F0_298631336, Fix(r2 * (-c(1) + c(3) + c(5) - c(7))));
        Assert.Equal(InverseDct.F0_390180644, Fix(r2 * (c(3) - c(5))));
        Assert.Equal(InverseDct.F0_541196100, Fix(r2 * c(6)));
        Assert.Equal(InverseDct.F0_765366865, Fix(r2 * (c(2) - c(6))));
        Assert.Equal(InverseDct.F0_899976223, Fix(r2 * (c(3) - c(7))));
        Assert.Equal(InverseDct.F1_175875602, Fix(r2 * c(3)));
        Assert.Equal(InverseDct.F1_501321110, Fix(r2 * (c(1) + c(3) - c(5) - c(7))));
        Assert.Equal(InverseDct.F1_847759065, Fix(r2 * (c(2) + c(6))));
        Assert.Equal(InverseDct.F1_961570560, Fix(r2 * (c(3) + c(5))));
        Assert.Equal(InverseDct.F2_053119869, Fix(r2 * (c(1) + c(3) - c(5) + c(7))));
        Assert.Equal(InverseDct.F2_562915447, Fix(r2 * (c(1) + c(3))));
        Assert.Equal(InverseDct.F3_072711026, Fix(r2 * (c(1) + c(3) + c(5) - c(7))));

        static int Fix(double x) => (int)(x * 8192 + 0.5);
    }

    [Fact]
    public void Upsampling_matches_the_scalar_reference_at_every_width()
    {
        var random = new Random(99);
        for (int n = 1; n <= 140; n++)
        {
            for (int trial = 0; trial < 4; trial++)
            {
                byte[] near = RandomBytes(random, n + 2), far = RandomBytes(random, n + 2);
                var expected = new byte[2 * n + 8];
                var actual = new byte[2 * n + 8];

                Upsampling.H2V1(JpegKernel.Scalar, near, n, expected);
                foreach (JpegKernel kernel in VectorKernels)
                {
                    Array.Clear(actual);
                    Upsampling.H2V1(kernel, near, n, actual);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"H2V1 {kernel} n={n}");
                }

                Array.Clear(expected);
                Upsampling.H2V2(JpegKernel.Scalar, near, far, n, expected);
                foreach (JpegKernel kernel in VectorKernels)
                {
                    Array.Clear(actual);
                    Upsampling.H2V2(kernel, near, far, n, actual);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"H2V2 {kernel} n={n}");
                }

                foreach (int bias in new[] { 1, 2 })
                {
                    Array.Clear(expected);
                    Upsampling.H1V2(JpegKernel.Scalar, near, far, bias, n, expected);
                    foreach (JpegKernel kernel in VectorKernels)
                    {
                        Array.Clear(actual);
                        Upsampling.H1V2(kernel, near, far, bias, n, actual);
                        Assert.True(expected.AsSpan().SequenceEqual(actual), $"H1V2 {kernel} n={n} bias {bias}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Colour_conversion_matches_the_scalar_reference_at_every_width()
    {
        var random = new Random(7);
        for (int width = 0; width <= 90; width++)
        {
            byte[] a = RandomBytes(random, width), b = RandomBytes(random, width), c = RandomBytes(random, width);
            var expected = new uint[width];
            var actual = new uint[width];
            ColorConversion.YCbCr(JpegKernel.Scalar, a, b, c, expected);
            foreach (JpegKernel kernel in VectorKernels)
            {
                ColorConversion.YCbCr(kernel, a, b, c, actual);
                Assert.Equal(expected, actual);
            }
            ColorConversion.Rgb(JpegKernel.Scalar, a, b, c, expected);
            foreach (JpegKernel kernel in VectorKernels)
            {
                ColorConversion.Rgb(kernel, a, b, c, actual);
                Assert.Equal(expected, actual);
            }
            ColorConversion.Grey(JpegKernel.Scalar, a, expected);
            foreach (JpegKernel kernel in VectorKernels)
            {
                ColorConversion.Grey(kernel, a, actual);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void The_nonzero_mask_matches_the_scalar_reference()
    {
        var random = new Random(5);
        var block = new short[64];
        for (int trial = 0; trial < 5000; trial++)
        {
            Array.Clear(block);
            int nonZero = random.Next(65);
            for (int i = 0; i < nonZero; i++) block[random.Next(64)] = (short)(random.Next(2) == 0 ? random.Next(-3, 4) : random.Next(short.MinValue, short.MaxValue + 1));
            ulong expected = NonZeroMask.OfScalar(block);
            Assert.Equal(expected, NonZeroMask.OfVector128(block));
            foreach (JpegKernel kernel in VectorKernels) Assert.Equal(expected, NonZeroMask.Of(kernel, block));
        }
    }

    /// <summary>The arithmetic equals libjpeg's tables as its documentation builds them, for every Y, Cb and Cr.</summary>
    [Fact]
    public void YCbCr_conversion_is_libjpegs_table_conversion_for_every_input()
    {
        static long Fix(double x) => (long)(x * 65536 + 0.5);
        var crR = new int[256];
        var cbB = new int[256];
        var crG = new long[256];
        var cbG = new long[256];
        for (int i = 0; i < 256; i++)
        {
            long x = i - 128;
            crR[i] = (int)((Fix(1.40200) * x + 32768) >> 16);
            cbB[i] = (int)((Fix(1.77200) * x + 32768) >> 16);
            crG[i] = -Fix(0.71414) * x;
            cbG[i] = -Fix(0.34414) * x + 32768;
        }
        byte[] ys = new byte[256], cbs = new byte[256], crs = new byte[256];
        var pixels = new uint[256];
        for (int y = 0; y < 256; y++) ys[y] = (byte)y;
        for (int cb = 0; cb < 256; cb++)
        {
            for (int cr = 0; cr < 256; cr++)
            {
                Array.Fill(cbs, (byte)cb);
                Array.Fill(crs, (byte)cr);
                ColorConversion.YCbCr(JpegKernel.Scalar, ys, cbs, crs, pixels);
                for (int y = 0; y < 256; y++)
                {
                    uint expected = ColorConversion.Pack(y + crR[cr], y + (int)((cbG[cb] + crG[cr]) >> 16), y + cbB[cb]);
                    if (pixels[y] != expected) Assert.Fail($"Y {y} Cb {cb} Cr {cr}: {pixels[y]:X8}, libjpeg {expected:X8}");
                }
            }
        }
    }

    [Fact]
    public void Zig_zag_order_is_that_of_the_standard()
    {
        byte[] standard =
        [
            0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
            35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
        ];
        Assert.Equal(standard, ZigZag.ToNatural);
    }

    /// <summary>Whole images, with no reference decoder needed: every kernel gives the scalar decoder's pixels.</summary>
    [Theory]
    [InlineData(JpegColorType.YCbCrRatio420, 1, 1)]
    [InlineData(JpegColorType.YCbCrRatio420, 77, 45)]
    [InlineData(JpegColorType.YCbCrRatio444, 130, 33)]
    [InlineData(JpegColorType.Luminance, 65, 17)]
    public void Whole_images_decode_to_the_same_pixels_at_every_width(JpegColorType colorType, int width, int height)
    {
        byte[] jpeg = JpegSamples.ImageSharpJpeg(JpegSamples.Photo(width, height, seed: 11), colorType, 92);
        Rgba32[] scalar = JpegSamples.Decode(jpeg, JpegKernel.Scalar);
        foreach (JpegKernel kernel in VectorKernels)
            Assert.Equal(scalar, JpegSamples.Decode(jpeg, kernel));
        Assert.Equal(scalar, JpegSamples.Decode(jpeg, JpegKernels.Best));
    }

    /// <summary>Each leg of the build must run the width it claims (the runtime's knobs can be ignored).</summary>
    [Fact]
    public void The_kernel_in_force_is_the_one_the_leg_expects()
    {
        string? expected = Environment.GetEnvironmentVariable("KMEANSPS_EXPECT_WIDTH");
        TestContext.Current.SendDiagnosticMessage($"JPEG kernel in force: {JpegKernels.Best}; KMEANSPS_EXPECT_WIDTH={expected ?? "(unset)"}");
        Assert.SkipWhen(string.IsNullOrEmpty(expected), "KMEANSPS_EXPECT_WIDTH is unset: run through the per-width legs, which set it.");
        JpegKernel wanted = expected.Trim() switch
        {
            "512" or "256" => JpegKernel.Vector256,
            "128" => JpegKernel.Vector128,
            "scalar" => JpegKernel.Scalar,
            _ => throw new ArgumentException($"KMEANSPS_EXPECT_WIDTH must be 512, 256, 128 or scalar, not '{expected}'."),
        };
        Assert.Equal(wanted, JpegKernels.Best);
    }

    private static void Fill(Random random, string range, short[] block, short[] dequant)
    {
        if (range == "first-row")
        {
            FirstRowOnly(random, block, dequant);
            return;
        }
        for (int i = 0; i < 64; i++)
        {
            (block[i], dequant[i]) = range switch
            {
                "typical" => ((short)(random.Next(-60, 61) >> Math.Min(6, i / 8)), (short)random.Next(1, 100)),
                "full-range" => ((short)random.Next(-2048, 2048), (short)random.Next(1, 256)),
                "sparse" => (random.Next(4) == 0 ? (short)random.Next(-300, 301) : (short)0, (short)random.Next(1, 256)),
                // Tables hold libjpeg's 16-bit signed multipliers.
                _ => ((short)(random.Next(2) == 0 ? random.Next(short.MinValue, short.MaxValue + 1) : (random.Next(2) == 0 ? short.MaxValue : short.MinValue)),
                    (short)(random.Next(2) == 0 ? short.MinValue : random.Next(short.MinValue, short.MaxValue + 1))),
            };
        }
    }

    /// <summary>Rows 1-7 zero and a first row anywhere in range: the SIMD code's column shortcut.</summary>
    private static void FirstRowOnly(Random random, short[] block, short[] dequant)
    {
        for (int i = 0; i < 64; i++)
        {
            block[i] = i < 8 && random.Next(3) != 0 ? (short)random.Next(short.MinValue, short.MaxValue + 1) : (short)0;
            dequant[i] = (short)(random.Next(2) == 0 ? random.Next(1, 256) : random.Next(short.MinValue, short.MaxValue + 1));
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        // Extremes often: the filters' sums reach their largest values at 255.
        for (int i = 0; i < length; i += 3) bytes[i] = random.Next(2) == 0 ? (byte)255 : (byte)0;
        return bytes;
    }
}
