using System.Runtime.Intrinsics;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Kernels;

/// <summary>
/// The CPU's own min and max against the runtime's IEEE forms on the values the kernels pass them (squared
/// distances: zero, subnormal, normal, infinite; never NaN, never -0), lane for lane and bit for bit, at every width.
/// </summary>
public class NativeMinMaxTests
{
    private static float[] Values(ulong seed, int count)
    {
        var rng = new DeterministicRandom(seed);
        float[] special = [0f, float.Epsilon, 1e-40f, 1.17549435e-38f, 1f, 3.4028235e38f, float.PositiveInfinity];
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = rng.NextInt(4) == 0 ? special[rng.NextInt(special.Length)]
                : (float)(Math.Pow(10, rng.NextDouble() * 60 - 30) * rng.NextDouble());
        }
        // Equal pairs in some lanes: either operand is then the same bits.
        for (int i = 0; i < count; i += 7) values[i] = values[Math.Max(0, i - 16)];
        return values;
    }

    [Fact]
    public void Floats_agree_with_the_runtimes_forms_at_every_width()
    {
        float[] a = Values(1, 4096), b = Values(2, 4096);
        for (int i = 0; i + 16 <= a.Length; i += 16)
        {
            var a128 = Vector128.Create(a, i); var b128 = Vector128.Create(b, i);
            Assert.Equal(Vector128.Min(a128, b128).AsInt32(), NativeMinMax.Min(a128, b128).AsInt32());
            Assert.Equal(Vector128.Max(a128, b128).AsInt32(), NativeMinMax.Max(a128, b128).AsInt32());
            var a256 = Vector256.Create(a, i); var b256 = Vector256.Create(b, i);
            Assert.Equal(Vector256.Min(a256, b256).AsInt32(), NativeMinMax.Min(a256, b256).AsInt32());
            Assert.Equal(Vector256.Max(a256, b256).AsInt32(), NativeMinMax.Max(a256, b256).AsInt32());
            var a512 = Vector512.Create(a, i); var b512 = Vector512.Create(b, i);
            Assert.Equal(Vector512.Min(a512, b512).AsInt32(), NativeMinMax.Min(a512, b512).AsInt32());
            Assert.Equal(Vector512.Max(a512, b512).AsInt32(), NativeMinMax.Max(a512, b512).AsInt32());
        }
    }

    [Fact]
    public void Doubles_agree_with_the_runtimes_form_at_every_width()
    {
        double[] a = Array.ConvertAll(Values(3, 4096), v => (double)v * 1.000001), b = Array.ConvertAll(Values(4, 4096), v => (double)v);
        for (int i = 0; i + 8 <= a.Length; i += 8)
        {
            Assert.Equal(Vector128.Min(Vector128.Create(a, i), Vector128.Create(b, i)).AsInt64(),
                NativeMinMax.Min(Vector128.Create(a, i), Vector128.Create(b, i)).AsInt64());
            Assert.Equal(Vector256.Min(Vector256.Create(a, i), Vector256.Create(b, i)).AsInt64(),
                NativeMinMax.Min(Vector256.Create(a, i), Vector256.Create(b, i)).AsInt64());
            Assert.Equal(Vector512.Min(Vector512.Create(a, i), Vector512.Create(b, i)).AsInt64(),
                NativeMinMax.Min(Vector512.Create(a, i), Vector512.Create(b, i)).AsInt64());
        }
    }
}
