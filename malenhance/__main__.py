from malenhance.cli import main

main()
