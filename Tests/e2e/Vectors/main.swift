import Ethereum
