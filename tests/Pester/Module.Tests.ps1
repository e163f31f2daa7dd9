BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-KMeansPSModulePath
    Import-Module $script:ModulePath -Force
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'KMeansPS module' {
    It 'has a valid manifest that targets PowerShell 7.4 Core' {
        $manifest = Test-ModuleManifest $script:ModulePath
        $manifest.PowerShellVersion | Should -Be ([version]'7.4')
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.Version | Should -Not -Be ([version]'0.0')
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $listed = (Import-PowerShellDataFile $script:ModulePath).CmdletsToExport | Sort-Object
        $exported = (Get-Command -Module KMeansPS).Name | Sort-Object
        $exported | Should -Be $listed
    }

    It 'loads its dependencies into its own AssemblyLoadContext, not the default one' {
        # Force the engine to load, then look where it landed.
        $null = New-SyntheticClusterData -Count 1 -Clusters 1 -Seed 1
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KMeansPS.Engine' }
        $engine | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine[0]).Name | Should -Be 'KMeansPS'
        $cmdlets = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KMeansPS' }
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($cmdlets[0]).Name | Should -Be 'Default'
    }

    It 'ships no System.Management.Automation and keeps third-party assemblies under Dependencies' {
        $root = Split-Path $script:ModulePath
        Get-ChildItem $root -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
        (Get-ChildItem $root -Filter '*.dll').Name | Should -Be @('KMeansPS.dll')
        Test-Path (Join-Path $root 'LICENSE') | Should -BeTrue
    }
}

Describe 'Dependency isolation' {
    It 'keeps working when another SixLabors.ImageSharp is already loaded in the default context' {
        # A fake ImageSharp 1.0 in the default load context, as another module might bring; ours must not bind to it.
        $dir = Join-Path $TestDrive 'other'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $fake = Join-Path $dir 'SixLabors.ImageSharp.dll'
        $script = @"
`$ab = [System.Reflection.Emit.PersistedAssemblyBuilder]::new([Reflection.AssemblyName]::new('SixLabors.ImageSharp, Version=1.0.0.0'), [object].Assembly)
`$null = `$ab.DefineDynamicModule('SixLabors.ImageSharp').DefineType('SixLabors.ImageSharp.Image', [Reflection.TypeAttributes]::Public).CreateType()
`$ab.Save('$fake')
`$null = [Reflection.Assembly]::LoadFrom('$fake')
Import-Module '$(Get-KMeansPSModulePath)'
New-Item -ItemType Directory -Path '$dir/img' | Out-Null
Import-Module '$(Join-Path $PSScriptRoot 'TestHelpers.psm1')'
`$null = New-TestPng -Path '$dir/img/a.png'
`$r = Compress-ImageKMeans -LiteralPath '$dir/img/a.png' -K 8 -Seed 1
`$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'SixLabors.ImageSharp' }
'{0};{1}' -f `$r.ColorsUsed, ((`$loaded | ForEach-Object { '{0}@{1}' -f `$_.GetName().Version, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name } | Sort-Object) -join ',')
"@
        $out = & (Get-ChildPwshPath) -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $out | Should -Be '8;1.0.0.0@Default,2.0.0.0@KMeansPS'
    }
}

Describe 'Completion' {
    It 'completes -K with palette sizes' {
        $line = 'Compress-ImageKMeans -K '
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain '64'
        $result.CompletionMatches.CompletionText | Should -Contain '256'
    }

    It 'completes -ColorSpace with its values' {
        $line = 'Compress-ImageKMeans -ColorSpace '
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Be @('OkLab', 'Rgb')
    }
}

Describe 'PowerShell manners of Compress-ImageKMeans' {
    BeforeAll {
        $script:dir = Join-Path $TestDrive 'manners'
        New-Item -ItemType Directory -Path $script:dir | Out-Null
        $script:photo = (New-TestPng -Path (Join-Path $script:dir 'holiday-2026-beach-day.png')).FullName
        $script:small = (New-TestPng -Path (Join-Path $script:dir 'small.png') -Width 40 -Height 24).FullName
    }

    It 'binds an object with only FullName (no PSPath) to -LiteralPath' {
        $r = [pscustomobject]@{ FullName = $script:small } | Compress-ImageKMeans -K 4 -Seed 1 -Destination (Join-Path $script:dir 'fullname/')
        $r.Path | Should -Be $script:small
        $r.Status | Should -Be 'Written'
    }

    It 'binds Get-ChildItem output once: one result per file' {
        $results = Get-ChildItem -LiteralPath $script:photo, $script:small | Compress-ImageKMeans -K 4 -Seed 1 -Destination (Join-Path $script:dir 'gci/')
        @($results).Count | Should -Be 2
        $results.Path | Should -Be @($script:photo, $script:small)
    }

    It 'shows Name, Status, K, sizes, Ratio, PSNR and names longer than the old 22 uncut in a 120-column table' {
        $r = Compress-ImageKMeans -LiteralPath $script:photo -K 8 -Seed 1 -Destination (Join-Path $script:dir 'table/')
        $lines = @(($r | Out-String -Width 120) -split "`r?`n" | Where-Object { $_.Trim() })
        $lines[0] | Should -Match '^Name\s+Status\s+K\s+Original\s+Output\s+Ratio\s+PSNR\s+Destination\s*$'
        $lines[2] | Should -Match ([regex]::Escape('holiday-2026-beach-day.png'))
        $lines[2] | Should -Match ([regex]::Escape('holiday-2026-beach-day-k8.png'))
        $lines[2] | Should -Match '\bWritten\b'
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 120 }
        ($r | Format-List | Out-String) | Should -Match 'Destination\s+:.*-k8\.png'
    }

    It 'shows the chosen K beside the K asked for when -MinPsnr chose fewer' {
        $few = (New-TestPng -Path (Join-Path $script:dir 'few.png') -Colors 3).FullName
        $r = Compress-ImageKMeans -LiteralPath $few -K 64 -MinPsnr 40 -Seed 1 -Destination (Join-Path $script:dir 'floor/')
        $r.ChosenK | Should -BeLessThan 64
        ($r | Out-String -Width 120) | Should -Match (' {0}/64 ' -f $r.ChosenK)
    }

    It 'captions the comparison figure, above panels that are unchanged, with the same bytes in two runs' {
        $one = Compress-ImageKMeans -LiteralPath $script:small -K 4 -Seed 1 -Destination (Join-Path $script:dir 'fig1/') -ComparisonPath (Join-Path $script:dir 'fig1/')
        $two = Compress-ImageKMeans -LiteralPath $script:small -K 4 -Seed 1 -Destination (Join-Path $script:dir 'fig2/') -ComparisonPath (Join-Path $script:dir 'fig2/')
        (Get-FileHash -LiteralPath $one.ComparisonPath).Hash | Should -Be (Get-FileHash -LiteralPath $two.ComparisonPath).Hash
        # IHDR: three 40-pixel panels with two 4-pixel bars; 24 rows of image below a band of at least 16.
        $bytes = [IO.File]::ReadAllBytes($one.ComparisonPath)
        $width = ([int]$bytes[16] -shl 24) -bor ([int]$bytes[17] -shl 16) -bor ([int]$bytes[18] -shl 8) -bor [int]$bytes[19]
        $height = ([int]$bytes[20] -shl 24) -bor ([int]$bytes[21] -shl 16) -bor ([int]$bytes[22] -shl 8) -bor [int]$bytes[23]
        $width | Should -Be (3 * 40 + 2 * 4)
        $height | Should -Be (24 + 16)
    }
}

Describe 'Warm-up at import' {
    BeforeAll {
        # In a fresh pwsh: import, then the state of the background warm-up (src/KMeansPS/Bridge/ImportWarmup.cs).
        # -Command: a cmdlet run right after the import. Then the state, the file part's state (FilePart) and how many
        # of this process's warm-up folders are left in the temporary folder.
        function Get-WarmupState([string] $Disable, [string] $Command = '') {
            $script = @"
`$folders = { Get-ChildItem -LiteralPath ([IO.Path]::GetTempPath()) -Directory -Filter "kmeansps-warmup-`$PID-*" | ForEach-Object FullName }
Import-Module '$($script:ModulePath)'
$Command
`$type = [KMeansPS.Loading.ModuleInitializer].Assembly.GetType('KMeansPS.Bridge.ImportWarmup', `$true)
`$completion = `$type.GetProperty('Completion', [Reflection.BindingFlags]'Static, NonPublic').GetValue(`$null)
`$part = `$type.GetProperty('FilePart', [Reflection.BindingFlags]'Static, NonPublic').GetValue(`$null)
if (`$null -eq `$completion) { 'not started' } else {
    `$null = `$completion.Wait(120000)
    `$part = `$type.GetProperty('FilePart', [Reflection.BindingFlags]'Static, NonPublic').GetValue(`$null)
    `$left = @(& `$folders).Count
    "`$(`$completion.Status) `$part `$left"
}
"@
            $saved = $env:KMEANSPS_NO_WARMUP
            $env:KMEANSPS_NO_WARMUP = $Disable
            try { & (Get-ChildPwshPath) -NoProfile -NonInteractive -Command $script }
            finally { $env:KMEANSPS_NO_WARMUP = $saved }
        }
    }

    It 'runs a palette job, then a file job, in the background after import, to their end, and leaves no folder' {
        Get-WarmupState '' | Should -Be 'RanToCompletion done 0'
    }

    It 'leaves the file job to a cmdlet that starts right after the import, and still ends cleanly' {
        $state = Get-WarmupState '' '1..40 | ForEach-Object { [pscustomobject]@{ X = $_ % 7; Y = $_ % 5 } } | Invoke-KMeans -K 3 -Seed 1 -ErrorAction Stop | Out-Null'
        $state | Should -BeIn @('RanToCompletion skipped 0', 'RanToCompletion stopped 0')
    }

    It 'removes its folder when the session is ended by <Ending> while the file job runs' -ForEach @(
        @{ Ending = 'exit'; Command = 'exit' }
        @{ Ending = 'SIGTERM'; Command = '& kill -s TERM $PID; Start-Sleep -Seconds 30' }
    ) {
        # The child ends as soon as its warm-up folder exists (the file job then has most of its ~100 ms to go), so
        # only the exit or signal handlers can remove it. SIGTERM ends the process at once; an exit takes long enough
        # that the job sometimes finishes first, so that case can pass without the handler.
        $result = Join-Path $TestDrive "ended-$Ending.txt"
        $script = @"
Import-Module '$($script:ModulePath)'
`$temp = [IO.Path]::GetTempPath()
`$until = [DateTime]::UtcNow.AddSeconds(60)
while (-not [IO.Directory]::EnumerateDirectories(`$temp, "kmeansps-warmup-`$PID-*").GetEnumerator().MoveNext() -and [DateTime]::UtcNow -lt `$until) { }
[IO.File]::WriteAllText('$result', "`$PID `$([DateTime]::UtcNow -lt `$until)")
$Command
"@
        & (Get-ChildPwshPath) -NoProfile -NonInteractive -Command $script | Out-Null
        $childPid, $seen = (Get-Content -LiteralPath $result -Raw) -split ' '
        $seen | Should -Be 'True'
        @(Get-ChildItem -LiteralPath ([IO.Path]::GetTempPath()) -Directory -Filter "kmeansps-warmup-$childPid-*").Count | Should -Be 0
    }

    It 'is turned off by KMEANSPS_NO_WARMUP=1' {
        Get-WarmupState '1' | Should -Be 'not started'
    }
}
