import HSM
